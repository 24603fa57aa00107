package dev.cachet.http;

/**
 * The value of the {@code X-Cache} response header: how the cache handled one request. The
 * standard {@code Cache-Status} header (RFC 9211) sent alongside says the same in more detail.
 */
public enum XCache {
  /**
   * Served from a fresh stored response; no handler ran for this request. Includes {@code 304
   * Not Modified} answers to {@code If-None-Match}. {@code Cache-Status: Cachet; hit; ttl=N}.
   */
  HIT,

  /**
   * Served from a stored response past its freshness: inside the route's stale-while-revalidate
   * window while one refresh runs ({@code Cachet; hit; ttl=-N; detail=stale}), or inside its
   * stale-if-error window because the handler failed or answered 5xx ({@code Cachet; fwd=stale;
   * fwd-status=503; detail=stale-if-error}).
   */
  STALE,

  /**
   * The cache was consulted and had no usable response, so the handler ran, for this request or
   * for a concurrent identical one whose response this one shares ({@code collapsed}); or it had
   * a stale one that this request refreshed, for a handler that answers later ({@code
   * fwd=stale}). {@code
   * Cache-Status} says whether it was stored ({@code Cachet; fwd=uri-miss; fwd-status=200;
   * stored}) or why not ({@code detail=set-cookie}, {@code status}, {@code no-cache},
   * {@code expired}, {@code too-large}, ...). A request with {@code Cache-Control: only-if-cached}
   * that finds nothing is a {@code MISS} too, answered {@code 504} without running the handler
   * (RFC 9111, section 5.2.1.7).
   */
  MISS,

  /**
   * The request's own directives made the cache skip the stored response: {@code
   * Cache-Control: no-cache} (or {@code Pragma: no-cache}) skips the read and stores the fresh
   * response; {@code no-store} skips the read and the write. Only while the configuration honours
   * them. {@code Cache-Status: Cachet; fwd=request}.
   */
  SKIP,

  /**
   * The cache took no part: the method is not cacheable ({@code Cachet; fwd=method}, including
   * writes, which invalidate), or the request cannot use shared entries or be keyed safely
   * ({@code Cachet; fwd=bypass; detail=credentials | no-identity | unsafe-uri | dot-segment |
   * empty-segment | path-params | template}: a path with a dot or empty segment or {@code ;}
   * parameters is never cached, since a framework may run another handler for it than for its
   * normalized form, or the same handler as for a path without the parameters).
   */
  BYPASS
}
