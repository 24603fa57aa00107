package dev.cachet.http.internal;

import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.RoutePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a handler's response may be stored, and if not why: the reason doubles as the
 * {@code detail} of {@code Cache-Status}. Stateless and thread-safe.
 *
 * <p>A response is stored only when every rule holds:
 *
 * <ul>
 *   <li>it answers a {@code GET} ({@code head}: a {@code HEAD} response has no body to store);
 *   <li>its body was buffered whole ({@code too-large}, {@code streaming}: it went to the client
 *       as it was written);
 *   <li>its status is one of the route's cacheable statuses, {@code 200} by default
 *       ({@code status});
 *   <li>it sets no cookie ({@code set-cookie});
 *   <li>its own {@code Cache-Control} has no {@code no-store} ({@code no-store}) and no
 *       {@code private} ({@code private}), except that {@code private} is allowed on routes that
 *       vary by principal, whose entries are private to one user;
 *   <li>its own {@code Cache-Control} has no {@code no-cache}, bare or with field names
 *       ({@code no-cache}): such a response may not be reused without revalidation (RFC 9111
 *       section 5.2.2.4), and Cachet never revalidates, it only reloads;
 *   <li>its own {@code Cache-Control} does not make it stale on arrival for a shared cache
 *       ({@code expired}): {@code s-maxage=0}, or {@code max-age=0} without an {@code s-maxage}
 *       (RFC 9111 section 4.2.1; a positive {@code s-maxage} overrides {@code max-age=0}, the usual
 *       way to let a server-side cache keep what browsers may not), or either with a value that is
 *       not delta-seconds (section 4.2.1 says to treat invalid freshness as stale); without
 *       either, an {@code Expires} no later than its {@code Date} (or now), or not a valid date
 *       ({@code 0}, {@code -1}: section 5.3), or an {@code Age} that uses the freshness up
 *       ({@link Freshness}). A freshness shorter than the route's TTL is stored as the entry's
 *       TTL (a shared cache may not serve it fresh for longer); a longer one does not extend it;
 *   <li>it is not an event stream ({@code streaming}) and its body is within the size cap
 *       ({@code too-large});
 *   <li>its {@code Vary} names only headers the key varies by (the route's, and those the route
 *       learned from earlier responses) or the configuration ignores ({@code vary}): otherwise
 *       one stored response would answer requests it does not fit.
 * </ul>
 */
public final class Cacheability {
  public static final String HEAD = "head";
  public static final String STATUS = "status";
  public static final String SET_COOKIE = "set-cookie";
  public static final String NO_STORE = "no-store";
  public static final String PRIVATE = "private";
  public static final String NO_CACHE = "no-cache";
  public static final String EXPIRED = "expired";
  public static final String STREAMING = "streaming";
  public static final String TOO_LARGE = "too-large";
  /** The adapter refused it: a cookie or a session the container set outside the captured headers. */
  public static final String REFUSED = "refused";
  public static final String VARY = "vary";

  private Cacheability() {}

  /** {@code null} when the response may be stored, else the reason it may not. */
  public static @Nullable String notStorableBecause(
      boolean head, RoutePolicy route, HttpCacheConfig config, int status, HttpHeaders headers,
      @Nullable String passThroughReason, long bodyLength) {
    return notStorableBecause(
        head, route, config, status, headers, passThroughReason, bodyLength, route.varyByHeaders());
  }

  /**
   * As the method above, for a key that varies by {@code keyVary} (the route's own vary-by
   * headers and those it learned): a {@code Vary} may name any of them.
   */
  public static @Nullable String notStorableBecause(
      boolean head, RoutePolicy route, HttpCacheConfig config, int status, HttpHeaders headers,
      @Nullable String passThroughReason, long bodyLength, List<String> keyVary) {
    if (head) {
      return HEAD;
    }
    if (passThroughReason != null) {
      return passThroughReason.equals(TOO_LARGE) || passThroughReason.equals(REFUSED) ? passThroughReason : STREAMING;
    }
    if (!route.cacheableStatuses().contains(status)) {
      return STATUS;
    }
    if (headers.contains("Set-Cookie") || headers.contains("Set-Cookie2")) {
      return SET_COOKIE;
    }
    CacheControl cc = CacheControl.parse(headers.all("Cache-Control"));
    if (cc.has("no-store")) {
      return NO_STORE;
    }
    if (cc.has("private") && !route.varyByPrincipal()) {
      return PRIVATE;
    }
    if (cc.has("no-cache")) {
      return NO_CACHE;
    }
    Duration lifetime = Freshness.sharedLifetime(headers, cc, Instant.now());
    if (lifetime != null && lifetime.isZero()) {
      return EXPIRED;
    }
    if (isEventStream(headers.first("Content-Type"))) {
      return STREAMING;
    }
    if (bodyLength > config.maxBodyBytes()) {
      return TOO_LARGE;
    }
    Set<String> vary = HeaderRules.varyNames(headers.all("Vary"));
    for (String name : vary) {
      if (!keyVary.contains(name) && !config.ignoredVaryHeaders().contains(name)) {
        return VARY; // includes "*"
      }
    }
    return null;
  }

  /** Whether {@code contentType} is {@code text/event-stream} (parameters and case ignored). */
  public static boolean isEventStream(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return type.toLowerCase(Locale.ROOT).equals("text/event-stream");
  }
}
