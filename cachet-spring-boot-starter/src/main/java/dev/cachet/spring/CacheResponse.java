package dev.cachet.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the HTTP responses of a {@code GET} controller method (and serves {@code HEAD} from
 * them): a hit is answered before the controller runs, with {@code X-Cache}, {@code Cache-Status},
 * {@code Age} and a strong {@code ETag}.
 *
 * <p>The key is the method, the normalized path and the sorted query parameters, plus the
 * values of {@link #varyByHeaders()} and the caller's identity when {@link #varyByPrincipal()}.
 * Where Spring chooses between {@code GET} handlers of the method's paths by a request header
 * ({@code produces}: {@code Accept}; {@code headers}; {@code consumes}: {@code Content-Type}),
 * or the method can answer in several media types (several in its {@code produces}, or, with no
 * single one declared, several that the message converters can write its body in, such as JSON
 * and XML for a record, or {@code text/plain} and JSON for a {@code String}), the key varies by
 * that header too. A response whose {@code Vary} names headers the key lacks is not stored, and
 * the route's later keys include those headers (never credentials), as Spring's CORS support
 * needs. Only {@link #statuses()} are stored; never a response with {@code Set-Cookie}, with its own
 * {@code Cache-Control: no-store} or {@code private}, an event stream, or a body over
 * {@code cachet.http.max-body-size}. Requests with {@code Authorization} or cookies bypass shared
 * entries unless the route varies by principal or is marked {@link #shared()}.
 *
 * <p>The method may answer asynchronously with a {@code CompletableFuture} (any
 * {@code CompletionStage}), {@code DeferredResult}, {@code Callable} or {@code WebAsyncTask}: the
 * response its result produces is stored as a synchronous one is, and concurrent misses wait for
 * it (at most {@code cachet.max-wait}) without holding a request thread: their requests go
 * asynchronous and are dispatched again with the answer, so that a herd larger than the thread
 * pool cannot stall the dispatch that finishes it. A result that fails, or a
 * timeout answered as an error, is never stored; a timeout answered with a {@code 2xx} fallback
 * value (a {@code DeferredResult}'s timeout result, a {@code WebAsyncTask}'s {@code onTimeout})
 * is a response like any other and is stored. With {@link #staleWhileRevalidate()}, a stale entry
 * of such a method is refreshed by the request that finds it stale: that request runs the method
 * as a miss would and gets the new response ({@code X-Cache: MISS}, {@code Cache-Status:
 * ...; fwd=stale}), which replaces the entry, while every other request for it gets the stale
 * response at once; a failed refresh (an exception, a timeout, a {@code 5xx}) is answered with
 * the stale response while the entry is inside its stale-while-revalidate or
 * {@link #staleIfError()} window, and leaves the entry stale for the next request to refresh;
 * a {@code HEAD} never refreshes. (A
 * synchronous method's stale entry is refreshed after its stale response is sent.) Streaming
 * answers ({@code StreamingResponseBody}, {@code ResponseBodyEmitter}, {@code SseEmitter}) reach
 * the client as they are written and are never stored.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CacheResponse {
  /**
   * Time to live, e.g. {@code 10s}; empty for {@code cachet.default-ttl}. A response whose own
   * {@code Cache-Control} ({@code s-maxage}, else {@code max-age}) or {@code Expires} gives it a
   * shorter freshness is kept fresh for that shorter time; a longer one does not extend this.
   */
  String ttl() default "";

  /** Tag templates with {@code {placeholders}} from path variables and query parameters. */
  String[] tags() default {};

  /** Request headers whose values are part of the key, e.g. {@code Accept-Language}. */
  String[] varyByHeaders() default {};

  /** Whether each caller gets their own entry (identity from the {@code IdentityResolver}). */
  boolean varyByPrincipal() default false;

  /** Whether requests with credentials may share one entry: only for caller-independent data. */
  boolean shared() default false;

  /**
   * Key template replacing {@code METHOD:path?query}; the query parameters it does not name
   * ({@code |q:...}), the vary parts and the request's origin ({@code Host} and forwarding
   * headers) are still appended, so that no request input outside the key shapes a shared entry. {@code @InvalidateCache(keys = ...)}
   * with the same template reaches every such entry, since each carries the rendered key's tag
   * ({@code Invalidator.keyTag}); {@code Cachet.delete} deletes one exact store key only.
   */
  String key() default "";

  /** Statuses that may be stored. */
  int[] statuses() default {200};

  /** Serve stale this long after the TTL while one request refreshes; empty is off. */
  String staleWhileRevalidate() default "";

  /** Serve stale this long after the TTL when the handler fails or answers 5xx; empty is off. */
  String staleIfError() default "";

  /** Fraction by which each TTL is randomly shortened; 0 is off. */
  double jitter() default 0;

  /** Serialize misses across instances with a store lock (Redis, Memcached). */
  boolean lock() default false;
}
