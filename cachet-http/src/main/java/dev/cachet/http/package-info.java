/**
 * HTTP response caching on top of {@link dev.cachet.Cachet}, independent of any web framework.
 *
 * <p>An adapter (a Servlet filter, a Spring interceptor) describes each request with an
 * {@link dev.cachet.http.HttpRequestView}, chooses a {@link dev.cachet.http.RoutePolicy} for cached
 * reads or an {@link dev.cachet.http.InvalidationPolicy} for writes, and lets
 * {@link dev.cachet.http.HttpCache} decide: it computes the key, serves hits, stale hits and
 * {@code 304}s, runs the handler (an {@link dev.cachet.http.Origin}) once per key on a miss, stores
 * what may be stored, invalidates after successful writes, and returns an
 * {@link dev.cachet.http.HttpCacheResult} to write.
 */
@NullMarked
package dev.cachet.http;

import org.jspecify.annotations.NullMarked;
