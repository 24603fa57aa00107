package dev.cachet.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a command's reply at most the command timeout, cancelling it past that. Lettuce's own
 * timeout ({@code TimeoutOptions}) fires at the same bound; waiting here as well keeps a caller's
 * cost bounded even if a future were never completed. Immutable and thread-safe.
 */
final class Await {
  private final long timeoutNanos;

  Await(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * The reply of {@code command}.
   *
   * @throws io.lettuce.core.RedisCommandTimeoutException past the timeout
   * @throws io.lettuce.core.RedisException (or a subclass) when the command failed
   */
  <T> T result(RedisFuture<T> command) {
    return LettuceFutures.awaitOrCancel(command, timeoutNanos, TimeUnit.NANOSECONDS);
  }
}
