/**
 * HTTP response caching on top of {@link dev.cachet.Cachet}, independent of any web framework.
 *
 * <p>An adapter (a Servlet filter, a Spring interceptor) describes each request with an
 * {@link dev.cachet.http.HttpRequestView}, chooses a {@link dev.cachet.http.RoutePolicy} for cached
 * reads (a {@link dev.cachet.http.RoutePattern} can map paths to policies) or an
 * {@link dev.cachet.http.InvalidationPolicy} for writes, and lets
 * {@link dev.cachet.http.HttpCache} decide: it computes the key, serves hits, stale hits and
 * {@code 304}s, runs the handler (an {@link dev.cachet.http.Origin}) once per key on a miss, stores
 * what may be stored, invalidates after successful writes, and returns an
 * {@link dev.cachet.http.HttpCacheResult} to write.
 *
 * <p>An adapter's {@link dev.cachet.http.Origin}, in outline:
 *
 * <pre>{@code
 * Origin origin = forward -> {
 *   // A response wrapper that records status and headers without committing them, and whose
 *   // output stream is this capture. When the capture passes through (body over the cap, or the
 *   // wrapper calls capture.passThrough() for text/event-stream or an explicit flush), the
 *   // callback commits status + recorded headers + the cache headers and returns the real stream.
 *   BodyCapture capture = forward.newBodyCapture(cacheHeaders -> {
 *     realResponse.setStatus(wrapper.status());
 *     wrapper.headers().forEach((n, vs) -> vs.forEach(v -> realResponse.addHeader(n, v)));
 *     cacheHeaders.forEach((n, vs) -> vs.forEach(v -> realResponse.addHeader(n, v)));
 *     return realResponse.getOutputStream();
 *   });
 *   chain.doFilter(request, wrapper.writingTo(capture));
 *   return OriginResponse.of(wrapper.status(), wrapper.headers(), capture);
 * };
 * HttpCacheResult result = cache.handleRead(view, policy, origin);
 * if (!result.committed()) {
 *   // write result.status(), every result.headers() value, then result.writeBodyTo(out)
 * }
 * result.revalidate(origin); // after the response is complete; no-op unless served stale
 * }</pre>
 */
@NullMarked
package dev.cachet.http;

import org.jspecify.annotations.NullMarked;
