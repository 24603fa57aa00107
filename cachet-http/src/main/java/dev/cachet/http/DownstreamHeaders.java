package dev.cachet.http;

import dev.cachet.http.internal.CacheControl;
import dev.cachet.http.internal.HeaderRules;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What caches after Cachet (browsers, proxies, CDNs) must be told about a route whose entries
 * vary by request: {@code Vary} naming the route's vary-by headers, and {@code Cache-Control:
 * private} on a route that varies by the caller, whose identity may come from anything (a token,
 * a cookie, a session) that a shared cache downstream would not key by. Without them such a cache
 * may store one caller's response and hand it to the next, which Cachet itself never does.
 *
 * <p>A handler's own decision stands: a {@code Cache-Control} that already says {@code private},
 * {@code no-store} or {@code public} is kept; any other gets {@code private} appended, since it
 * only narrows who may store the response. {@code Vary: *} is kept. Stateless and thread-safe.
 */
final class DownstreamHeaders {
  private DownstreamHeaders() {}

  /** Whether {@code route} has anything to tell downstream caches. */
  static boolean needed(RoutePolicy route) {
    return route.varyByPrincipal() || !route.varyByHeaders().isEmpty();
  }

  /** {@code r} with the route's downstream headers merged in; {@code r} when already sent. */
  static HttpCacheResult apply(RoutePolicy route, HttpCacheResult r, boolean privateWhenUnset) {
    if (r.committed() || !needed(route)) {
      return r;
    }
    List<String> missingVary = HeaderRules.notInVary(r.headers().all("Vary"), route.varyByHeaders());
    List<String> cacheControl = r.headers().all("Cache-Control");
    String merged = route.varyByPrincipal() && (privateWhenUnset || !cacheControl.isEmpty())
        ? withPrivate(cacheControl)
        : null;
    if (missingVary.isEmpty() && merged == null) {
      return r; // a replay already stored with both: nothing to copy on this hit
    }
    HttpHeaders.Builder h = r.headers().toBuilder();
    if (!missingVary.isEmpty()) {
      h.add("Vary", String.join(", ", missingVary));
    }
    if (merged != null) {
      h.set("Cache-Control", merged);
    }
    return r.withHeaders(h.build());
  }

  /**
   * For a response that streams to the client, to be added to the handler's headers: the vary-by
   * names as a {@code Vary} line of their own, and {@code private}, which the adapter merges into
   * the handler's own {@code Cache-Control} (see {@link PassThrough#open}); not without
   * {@code privateWhenUnset}, since the adapter cannot tell a later writer's header apart.
   *
   * @return {@code cacheHeaders} and what downstream caches must know of {@code route}'s responses
   */
  static HttpHeaders forPassThrough(RoutePolicy route, boolean privateWhenUnset, HttpHeaders cacheHeaders) {
    if (!needed(route)) {
      return cacheHeaders;
    }
    HttpHeaders.Builder h = cacheHeaders.toBuilder();
    addForPassThrough(route, h, privateWhenUnset);
    return h.build();
  }

  private static void addForPassThrough(RoutePolicy route, HttpHeaders.Builder h, boolean privateWhenUnset) {
    if (!route.varyByHeaders().isEmpty()) {
      h.add("Vary", String.join(", ", route.varyByHeaders()));
    }
    if (route.varyByPrincipal() && privateWhenUnset) {
      h.add("Cache-Control", "private");
    }
  }

  /** The {@code Cache-Control} to send for a per-caller response, or {@code null} to keep it. */
  static @Nullable String withPrivate(List<String> cacheControlLines) {
    CacheControl cc = CacheControl.parse(cacheControlLines);
    if (cc.has("private") || cc.has("no-store") || cc.has("public")) {
      return null;
    }
    String existing = String.join(", ", cacheControlLines).trim();
    return existing.isEmpty() ? "private" : existing + ", private";
  }
}
