package dev.cachet.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Waits for a command's reply at most the command timeout, cancelling it past that. This is the
 * only bound on a command: Lettuce's own per-command timer is off (see {@link LettuceSetup}), as
 * it would cost a scheduled task on every command for a bound this wait gives already.
 * Thread-safe.
 */
final class Await {
  private final long timeoutNanos;
  private final int stuckAfter;
  private final Runnable onStuck;
  private final LongSupplier nanoTime;
  private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
  /** When the connection was last dropped; commands sent before then were sent on that one. */
  private volatile long lastDrop;

  Await(Duration timeout) {
    this(timeout, Integer.MAX_VALUE, () -> {});
  }

  /**
   * @param stuckAfter consecutive time-outs after which the connection is taken to be stuck
   * @param onStuck drops the stuck connection (see {@link Connector#dropConnection()})
   */
  Await(Duration timeout, int stuckAfter, Runnable onStuck) {
    this(timeout, stuckAfter, onStuck, System::nanoTime);
  }

  Await(Duration timeout, int stuckAfter, Runnable onStuck, LongSupplier nanoTime) {
    this.timeoutNanos = timeout.toNanos();
    this.stuckAfter = stuckAfter;
    this.onStuck = onStuck;
    this.nanoTime = nanoTime;
    this.lastDrop = nanoTime.getAsLong() - 1;
  }

  /**
   * The reply of {@code command}.
   *
   * @throws io.lettuce.core.RedisCommandTimeoutException past the timeout
   * @throws io.lettuce.core.RedisException (or a subclass) when the command failed
   */
  <T> T result(RedisFuture<T> command) {
    long sent = nanoTime.getAsLong();
    T result;
    try {
      result = LettuceFutures.awaitOrCancel(command, timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (io.lettuce.core.RedisCommandTimeoutException e) {
      // Time-outs of commands sent before the last drop belong to the dropped connection: counted,
      // they would drop its healthy successor too. Exactly one caller reaches the threshold.
      if (sent - lastDrop > 0 && consecutiveTimeouts.incrementAndGet() == stuckAfter) {
        lastDrop = nanoTime.getAsLong();
        consecutiveTimeouts.set(0);
        onStuck.run();
      }
      throw e;
    }
    consecutiveTimeouts.set(0);
    return result;
  }
}
