package dev.cachet.http.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds one member of an RFC 9211 {@code Cache-Status} field: the cache's name, then parameters
 * {@code hit}, {@code fwd}, {@code fwd-status}, {@code ttl}, {@code stored}, {@code collapsed},
 * {@code detail}. Boolean parameters are written only when true (a bare name is {@code ?1}).
 * Not thread-safe.
 */
public final class CacheStatus {
  /** {@code fwd}: the cache was configured not to handle this request. */
  public static final String BYPASS = "bypass";
  /** {@code fwd}: the method must go to the origin. */
  public static final String METHOD = "method";
  /** {@code fwd}: nothing stored for the request's URI. */
  public static final String URI_MISS = "uri-miss";
  /** {@code fwd}: nothing usable stored, URI or secondary key unknown. */
  public static final String MISS = "miss";
  /** {@code fwd}: a stored response existed but the request's directives did not allow it. */
  public static final String REQUEST = "request";
  /** {@code fwd}: the stored response was stale. */
  public static final String STALE = "stale";

  private final StringBuilder sb;

  private CacheStatus(String cacheName) {
    this.sb = new StringBuilder(64).append(cacheName);
  }

  public static CacheStatus of(String cacheName) {
    return new CacheStatus(cacheName);
  }

  public CacheStatus hit() {
    sb.append("; hit");
    return this;
  }

  public CacheStatus fwd(String reason) {
    sb.append("; fwd=").append(reason);
    return this;
  }

  public CacheStatus fwdStatus(int status) {
    sb.append("; fwd-status=").append(status);
    return this;
  }

  public CacheStatus ttl(long seconds) {
    sb.append("; ttl=").append(seconds);
    return this;
  }

  /**
   * A hit with {@code remaining} freshness: {@code hit}, and {@code ttl} when positive; a stale
   * one (none left): {@code hit}, its negative {@code ttl} and {@code detail=stale}. Unknown
   * ({@code null}), the {@code ttl} is left out.
   */
  public CacheStatus hit(@Nullable Duration remaining, boolean stale) {
    hit();
    if (remaining != null && stale && (remaining.isNegative() || remaining.isZero())) {
      ttl(-remaining.negated().getSeconds());
    } else if (remaining != null && !stale && remaining.getSeconds() > 0) {
      ttl(remaining.getSeconds());
    }
    return stale ? detail("stale") : this;
  }

  public CacheStatus stored() {
    sb.append("; stored");
    return this;
  }

  public CacheStatus collapsed() {
    sb.append("; collapsed");
    return this;
  }

  /** A detail token: lower-case letters, digits and {@code -}, starting with a letter. */
  public CacheStatus detail(String token) {
    sb.append("; detail=").append(token);
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
