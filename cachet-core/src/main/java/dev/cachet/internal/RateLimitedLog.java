package dev.cachet.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a warning at most once per interval and says how many were suppressed in between, so that
 * a store outage under load does not flood the log. Thread-safe.
 */
public final class RateLimitedLog {
  private static final Logger LOG = System.getLogger("dev.cachet");

  private final Clock clock;
  private final long intervalMillis;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Clock clock, Duration interval) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /** Logs {@code message} with {@code error} unless a warning was logged within the interval. */
  public boolean warn(String message, Throwable error) {
    long now = clock.millis();
    long allowed = nextAllowed.get();
    if (now < allowed || !nextAllowed.compareAndSet(allowed, now + intervalMillis)) {
      suppressed.incrementAndGet();
      return false;
    }
    long skipped = suppressed.getAndSet(0);
    String suffix = skipped == 0 ? "" : " (" + skipped + " similar warnings suppressed)";
    LOG.log(Level.WARNING, message + ": " + error + suffix);
    return true;
  }
}
