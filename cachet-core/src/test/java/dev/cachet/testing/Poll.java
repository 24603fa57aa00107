package dev.cachet.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a real asynchronous event (a process that starts, a push message, a reconnect) until
 * a deadline: a bounded poll, never a sleep for a fixed time.
 */
public final class Poll {
  private Poll() {}

  /**
   * Checks {@code condition} until it holds, about once a millisecond; fails with {@code what}
   * past {@code timeout}. An exception {@code condition} throws ends the wait at once.
   *
   * @return how long it took, in nanoseconds
   * @throws AssertionError once {@code timeout} has passed without {@code condition} holding
   */
  public static long until(Duration timeout, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return System.nanoTime() - start;
  }

  /** {@code nanos} as milliseconds with one decimal, e.g. {@code "12.3 ms"}, for messages. */
  public static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
