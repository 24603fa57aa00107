package dev.cachet.servlet;

import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.RoutePattern;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Routes configured in code: read policies for path patterns, and what writes to path patterns
 * invalidate. Patterns match the path within the application (the request URI without its
 * context path, still percent-encoded). The first matching entry of each kind wins. Writes that
 * match no entry still invalidate the automatic REST hierarchy unless
 * {@link Builder#automaticInvalidation} is off.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * RouteTable routes = RouteTable.builder()
 *     .get("/spaces/{spaceId}/items", RoutePolicy.ofTtl(Duration.ofMinutes(5)))
 *     .write("/spaces/{spaceId}/**", InvalidationPolicy.builder().tags("space:{spaceId}").build())
 *     .build();
 * }</pre>
 */
public final class RouteTable implements RouteResolver {
  private record Entry<P>(RoutePattern pattern, P policy) {}

  private final List<Entry<RoutePolicy>> reads;
  private final List<Entry<InvalidationPolicy>> writes;
  private final boolean automaticInvalidation;

  private RouteTable(Builder b) {
    this.reads = List.copyOf(b.reads);
    this.writes = List.copyOf(b.writes);
    this.automaticInvalidation = b.automaticInvalidation;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public @Nullable Route resolve(HttpServletRequest request) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String path = withinApplication(request);
    boolean read = method.equals("GET") || method.equals("HEAD");
    for (Entry<RoutePolicy> e : read ? reads : List.<Entry<RoutePolicy>>of()) {
      Map<String, String> vars = e.pattern().match(path);
      if (vars != null) {
        return new Route("GET " + e.pattern().pattern(), e.policy(), InvalidationPolicy.automatic(), vars);
      }
    }
    if (read) {
      return null;
    }
    for (Entry<InvalidationPolicy> e : writes) {
      Map<String, String> vars = e.pattern().match(path);
      if (vars != null) {
        return new Route(method + " " + e.pattern().pattern(), null, e.policy(), vars);
      }
    }
    return automaticInvalidation
        ? new Route(method + " (unrouted)", null, InvalidationPolicy.automatic(), Map.of())
        : null;
  }

  /**
   * The request's path within the application: its URI without the context path, so that a
   * table's patterns hold wherever the application is deployed (as servlet mappings do).
   */
  private static String withinApplication(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    if (context == null || context.isEmpty() || !uri.startsWith(context)) {
      return uri;
    }
    String path = uri.substring(context.length());
    return path.isEmpty() ? "/" : path;
  }

  /** Builds a {@link RouteTable}. Patterns are parsed as they are added. Not thread-safe. */
  public static final class Builder {
    private final List<Entry<RoutePolicy>> reads = new ArrayList<>();
    private final List<Entry<InvalidationPolicy>> writes = new ArrayList<>();
    private boolean automaticInvalidation = true;
    private boolean automaticSet;

    private Builder() {}

    /** Caches {@code GET} (and {@code HEAD}) of {@code pattern} under {@code policy}. */
    public Builder get(String pattern, RoutePolicy policy) {
      reads.add(new Entry<>(RoutePattern.of(pattern), Objects.requireNonNull(policy, "policy")));
      return this;
    }

    /** What a successful write to {@code pattern} invalidates, besides the hierarchy. */
    public Builder write(String pattern, InvalidationPolicy policy) {
      writes.add(new Entry<>(RoutePattern.of(pattern), Objects.requireNonNull(policy, "policy")));
      return this;
    }

    /** Whether writes matching no {@link #write} entry invalidate the REST hierarchy; default on. */
    public Builder automaticInvalidation(boolean enabled) {
      if (automaticSet) {
        throw new IllegalStateException("automaticInvalidation was already set");
      }
      automaticSet = true;
      this.automaticInvalidation = enabled;
      return this;
    }

    public RouteTable build() {
      return new RouteTable(this);
    }
  }
}
