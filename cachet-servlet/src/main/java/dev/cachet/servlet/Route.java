package dev.cachet.servlet;

import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.RoutePolicy;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one request is treated: the policy of its reads, what its writes invalidate, and the
 * variables of the matched route. Immutable (the variables are copied); only {@code read} may be
 * {@code null}.
 *
 * @param name a low-cardinality name for metrics, such as {@code GET /spaces/{spaceId}}
 * @param read how reads are cached, or {@code null} when they are not
 * @param write what a successful write invalidates
 * @param pathVariables the route's variables, decoded, for templates
 * @param hitGuard checks a read answered from the cache must pass first, which would otherwise
 *     run only with its handler, or {@code null} when there are none
 */
public record Route(
    String name, @Nullable RoutePolicy read, InvalidationPolicy write, Map<String, String> pathVariables,
    @Nullable HitGuard hitGuard) {
  public Route {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(write, "write");
    pathVariables = Map.copyOf(pathVariables);
  }

  /** A route without a {@link HitGuard}. */
  public Route(String name, @Nullable RoutePolicy read, InvalidationPolicy write, Map<String, String> pathVariables) {
    this(name, read, write, pathVariables, null);
  }
}
