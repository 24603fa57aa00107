package dev.cachet.http.internal;

import dev.cachet.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The freshness a response gives itself for a shared cache (RFC 9111 section 4.2.1):
 * {@code s-maxage}, else {@code max-age}, else {@code Expires} minus {@code Date} (or minus now
 * when it has no {@code Date}), less the {@code Age} it arrived with (section 4.2.3: a handler
 * that relays an upstream response passes its age on). Stateless and thread-safe.
 */
public final class Freshness {
  /** RFC 9111 section 1.2.2: larger delta-seconds are read as 2^31. */
  private static final long MAX_DELTA = 1L << 31;

  private Freshness() {}

  /**
   * How long a shared cache may serve the response fresh: {@code null} when it states no
   * freshness (the route's TTL alone decides), {@link Duration#ZERO} when it is stale on arrival
   * or states a freshness that is not valid (section 4.2.1 reads that as stale: a
   * {@code max-age} that is not delta-seconds, an {@code Expires} that is not a date, or several).
   * Dates from the origin are wall-clock dates, so {@code now} is the wall clock's.
   */
  public static @Nullable Duration sharedLifetime(HttpHeaders headers, CacheControl cc, Instant now) {
    long lifetime;
    if (cc.has("s-maxage") || cc.has("max-age")) {
      lifetime = deltaSeconds(cc.has("s-maxage") ? cc.value("s-maxage") : cc.value("max-age"));
      if (lifetime < 0) {
        return Duration.ZERO;
      }
    } else {
      List<String> expires = headers.all("Expires");
      if (expires.isEmpty()) {
        return null;
      }
      Instant at = expires.size() == 1 ? HttpDate.parse(expires.get(0)) : null;
      if (at == null) {
        return Duration.ZERO;
      }
      String dateHeader = headers.first("Date");
      Instant date = dateHeader == null ? null : HttpDate.parse(dateHeader);
      Duration left = Duration.between(date != null ? date : now, at);
      return left.isNegative() ? Duration.ZERO : minusAge(left, headers);
    }
    return minusAge(Duration.ofSeconds(lifetime), headers);
  }

  /** {@code lifetime} less the response's {@link #initialAge}, never below zero. */
  private static Duration minusAge(Duration lifetime, HttpHeaders headers) {
    Duration left = lifetime.minusSeconds(initialAge(headers));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * The age, in seconds, a response had when its handler gave it (a handler that relays an
   * upstream cache's response passes its {@code Age} on): the first member of its {@code Age},
   * or 0 when it has none or one that is not delta-seconds (RFC 9111 section 5.1 says to ignore
   * it then).
   */
  public static long initialAge(HttpHeaders headers) {
    String age = headers.first("Age");
    if (age == null) {
      return 0;
    }
    int comma = age.indexOf(',');
    return Math.max(0, deltaSeconds((comma < 0 ? age : age.substring(0, comma)).trim()));
  }

  /** {@code value} as delta-seconds (section 1.2.2), capped at 2^31; -1 when it is not one. */
  private static long deltaSeconds(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = Math.min(MAX_DELTA, n * 10 + (c - '0'));
    }
    return n;
  }
}
