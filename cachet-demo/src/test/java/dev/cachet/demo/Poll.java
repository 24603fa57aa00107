package dev.cachet.demo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a real asynchronous effect (a push message, a reconnect) until a deadline. */
final class Poll {
  private Poll() {}

  /**
   * Checks {@code condition} until it holds, about once a millisecond; fails with {@code what}
   * past {@code timeout}.
   *
   * @return how long it took, in nanoseconds
   */
  static long until(Duration timeout, String what, BooleanSupplier condition) {
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

  static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
