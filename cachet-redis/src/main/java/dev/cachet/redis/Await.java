package dev.cachet.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
  private final java.util.concurrent.atomic.AtomicInteger consecutiveTimeouts =
      new java.util.concurrent.atomic.AtomicInteger();

  Await(Duration timeout) {
    this(timeout, Integer.MAX_VALUE, () -> {});
  }

  /**
   * @param stuckAfter consecutive time-outs after which the connection is taken to be stuck
   * @param onStuck drops the stuck connection (see {@link Connector#dropConnection()})
   */
  Await(Duration timeout, int stuckAfter, Runnable onStuck) {
    this.timeoutNanos = timeout.toNanos();
    this.stuckAfter = stuckAfter;
    this.onStuck = onStuck;
  }

  /**
   * The reply of {@code command}.
   *
   * @throws io.lettuce.core.RedisCommandTimeoutException past the timeout
   * @throws io.lettuce.core.RedisException (or a subclass) when the command failed
   */
  <T> T result(RedisFuture<T> command) {
    T result;
    try {
      result = LettuceFutures.awaitOrCancel(command, timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (io.lettuce.core.RedisCommandTimeoutException e) {
      if (consecutiveTimeouts.incrementAndGet() >= stuckAfter) {
        consecutiveTimeouts.set(0);
        onStuck.run();
      }
      throw e;
    }
    consecutiveTimeouts.set(0);
    return result;
  }
}
