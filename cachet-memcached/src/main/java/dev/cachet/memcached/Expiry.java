package dev.cachet.memcached;

import java.time.Clock;
import java.time.Duration;

/**
 * Converts a time to live to Memcached's expiry field. Memcached reads values up to 30 days as
 * seconds from now and larger ones as absolute Unix times (by the server's clock), so longer TTLs
 * are sent as {@code now + ttl}. Memcached has whole seconds only: TTLs round up, so an entry or a
 * lock lease never ends before it was asked to.
 */
final class Expiry {
  /** The largest relative expiry Memcached accepts: 30 days, in seconds. */
  static final long RELATIVE_LIMIT_SECONDS = 30L * 24 * 60 * 60;

  private Expiry() {}

  /**
   * The expiry field for {@code ttl}; {@code 0} ("no expiry", LRU only) when the absolute time
   * would not fit Memcached's 32-bit field (past January 2038).
   */
  static int of(Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    if (seconds <= RELATIVE_LIMIT_SECONDS) {
      return (int) seconds;
    }
    long now = clock.instant().getEpochSecond();
    if (seconds > Integer.MAX_VALUE - now) {
      return 0;
    }
    return (int) (now + seconds);
  }
}
