package dev.cachet.http;

import dev.cachet.CachePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How the reads ({@code GET}, and {@code HEAD} served from the {@code GET} entry) of one route are
 * cached.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}; only the TTL is required.
 *
 * @param ttl how long a stored response is fresh, at most (a shorter freshness its own
 *     {@code Cache-Control} or {@code Expires} states is kept instead); positive
 * @param tags tags the stored response carries besides the automatic path tags, with
 *     {@code {placeholders}} from path variables and query parameters
 * @param varyByHeaders request headers whose values are part of the key (lower case, sorted)
 * @param varyByPrincipal whether the caller's {@link HttpRequestView#identity()} is part of the
 *     key: each user gets their own entries, and requests with credentials may use them
 * @param sharedDespiteCredentials whether requests carrying {@code Authorization} or cookies may
 *     read and write the shared entry of a route that does not vary by principal (only for
 *     responses that truly do not depend on the caller)
 * @param cacheableStatuses the response statuses that may be stored; default {@code {200}}
 * @param keyTemplate replaces the {@code METHOD:path?query} part of the key, or {@code null}; the
 *     query parameters it does not name and the vary parts are still appended, so per-user
 *     isolation holds
 * @param staleWhileRevalidate how long after the TTL a response may be served while it is
 *     refreshed; {@link Duration#ZERO} is off
 * @param staleIfError how long after the TTL a response may be served when the refresh fails or
 *     answers 5xx; {@link Duration#ZERO} is off
 * @param jitter fraction in {@code [0, 1)} by which each TTL is randomly shortened
 * @param distributedLock whether concurrent misses in different processes are serialized by a
 *     store lock, where the store has one
 */
public record RoutePolicy(
    Duration ttl,
    List<Template> tags,
    List<String> varyByHeaders,
    boolean varyByPrincipal,
    boolean sharedDespiteCredentials,
    Set<Integer> cacheableStatuses,
    @Nullable Template keyTemplate,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    double jitter,
    boolean distributedLock) {

  public RoutePolicy {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(varyByHeaders, "varyByHeaders");
    Objects.requireNonNull(cacheableStatuses, "cacheableStatuses");
    Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
    Objects.requireNonNull(staleIfError, "staleIfError");
    // The core checks the durations and the jitter; fail here, at configuration time, too.
    CachePolicy.builder().ttl(ttl);
    for (Duration w : List.of(staleWhileRevalidate, staleIfError)) {
      if (w.isNegative() || w.compareTo(CachePolicy.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(
            "stale windows must be in [0, " + CachePolicy.MAX_DURATION + "]: " + w);
      }
    }
    if (tags.size() > MAX_DECLARED_TAGS) {
      throw new IllegalArgumentException("a route declares at most " + MAX_DECLARED_TAGS
          + " tags, the rest of CachePolicy.MAX_TAGS being its path and key tags: " + tags.size());
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    tags = List.copyOf(tags);
    TreeSet<String> names = new TreeSet<>();
    for (String h : varyByHeaders) {
      if (!HttpHeaders.isToken(Objects.requireNonNull(h, "header"))) {
        throw new IllegalArgumentException("not a header name: '" + h + "'");
      }
      names.add(h.toLowerCase(Locale.ROOT));
    }
    varyByHeaders = List.copyOf(names);
    if (cacheableStatuses.isEmpty()) {
      throw new IllegalArgumentException("cacheableStatuses must not be empty");
    }
    cacheableStatuses.forEach(RoutePolicy::checkStatus);
    cacheableStatuses = Set.copyOf(cacheableStatuses);
    if (keyTemplate != null && keyTemplate.literalText().indexOf('|') >= 0) {
      throw new IllegalArgumentException(
          "a key template must not contain '|', which separates the vary parts: " + keyTemplate);
    }
  }

  private static void checkStatus(int s) {
    if (s < 200 || s > 599 || s == 206 || s == 304) {
      throw new IllegalArgumentException(
          "cacheable statuses must be final statuses in [200, 599] other than 206 and 304: " + s);
    }
  }

  /** A policy with only a TTL. */
  public static RoutePolicy ofTtl(Duration ttl) {
    return builder().ttl(ttl).build();
  }

  /**
   * Most tags a route may declare: a stored response also carries its path tags (at most 17)
   * and its key tag, within {@link CachePolicy#MAX_TAGS}.
   */
  public static final int MAX_DECLARED_TAGS = CachePolicy.MAX_TAGS - 32;

  public static Builder builder() {
    return new Builder();
  }

  /** The core policy of one stored response that carries {@code renderedTags}. */
  public CachePolicy cachePolicy(Collection<String> renderedTags) {
    CachePolicy.Builder b = CachePolicy.builder().ttl(ttl).tags(renderedTags);
    if (jitter > 0) {
      b.jitter(jitter);
    }
    if (!staleWhileRevalidate.isZero()) {
      b.staleWhileRevalidate(staleWhileRevalidate);
    }
    if (!staleIfError.isZero()) {
      b.staleIfError(staleIfError);
    }
    if (distributedLock) {
      b.distributedLock(true);
    }
    return b.build();
  }

  /**
   * Builds a {@link RoutePolicy}. Each setter may be called once ({@link IllegalStateException}
   * otherwise) and checks its argument at once ({@link IllegalArgumentException}); templates are
   * parsed as they are set. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Duration ttl;
    private final List<Template> tags = new ArrayList<>();
    private List<String> varyByHeaders = List.of();
    private boolean varyByPrincipal;
    private boolean shared;
    private Set<Integer> statuses = Set.of(200);
    private @Nullable Template keyTemplate;
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private double jitter;
    private boolean distributedLock;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(CachePolicy.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(name + " must be in (0, " + CachePolicy.MAX_DURATION + "]: " + d);
      }
      return d;
    }

    private static Duration window(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.compareTo(CachePolicy.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(name + " must be in [0, " + CachePolicy.MAX_DURATION + "]: " + d);
      }
      return d;
    }

    public Builder ttl(Duration ttl) {
      once("ttl");
      this.ttl = positive("ttl", ttl);
      return this;
    }

    /** Adds tag templates, e.g. {@code space:{spaceId}}; may be called more than once. */
    public Builder tags(String... templates) {
      for (String t : Objects.requireNonNull(templates, "templates")) {
        tags.add(Template.of(t));
      }
      return this;
    }

    /** Request headers whose values are part of the key, e.g. {@code Accept}. */
    public Builder varyByHeaders(String... names) {
      once("varyByHeaders");
      this.varyByHeaders = List.of(Objects.requireNonNull(names, "names"));
      for (String n : varyByHeaders) {
        if (!HttpHeaders.isToken(n)) {
          throw new IllegalArgumentException("not a header name: '" + n + "'");
        }
      }
      return this;
    }

    /** Keys include the caller's identity; requests with credentials may then be cached. */
    public Builder varyByPrincipal(boolean enabled) {
      once("varyByPrincipal");
      this.varyByPrincipal = enabled;
      return this;
    }

    /** Requests with {@code Authorization} or cookies share the route's entries anyway. */
    public Builder sharedDespiteCredentials(boolean enabled) {
      once("sharedDespiteCredentials");
      this.shared = enabled;
      return this;
    }

    /** Statuses that may be stored (default {@code 200}); not 206 nor 304. */
    public Builder cacheableStatuses(int... statuses) {
      once("cacheableStatuses");
      Set<Integer> s = new HashSet<>();
      for (int status : Objects.requireNonNull(statuses, "statuses")) {
        checkStatus(status);
        s.add(status);
      }
      this.statuses = s;
      return this;
    }

    /** Replaces {@code METHOD:path?query} in the key, e.g. {@code item:{itemId}}. */
    public Builder keyTemplate(String template) {
      once("keyTemplate");
      this.keyTemplate = Template.of(template);
      return this;
    }

    /** Serves the stale response while one request refreshes it, up to {@code window}; zero is off. */
    public Builder staleWhileRevalidate(Duration window) {
      once("staleWhileRevalidate");
      this.staleWhileRevalidate = window("staleWhileRevalidate", window);
      return this;
    }

    /** Serves the stale response when the handler fails, up to {@code window}; zero is off. */
    public Builder staleIfError(Duration window) {
      once("staleIfError");
      this.staleIfError = window("staleIfError", window);
      return this;
    }

    /** Shortens each TTL by a random fraction up to {@code fraction}, in {@code [0, 1)}; zero is off. */
    public Builder jitter(double fraction) {
      once("jitter");
      if (!(fraction >= 0.0 && fraction < 1.0)) {
        throw new IllegalArgumentException("jitter must be in [0, 1): " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    public Builder distributedLock(boolean enabled) {
      once("distributedLock");
      this.distributedLock = enabled;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException when no TTL was set
     */
    public RoutePolicy build() {
      if (ttl == null) {
        throw new IllegalStateException("ttl is required");
      }
      return new RoutePolicy(
          ttl, tags, varyByHeaders, varyByPrincipal, shared, statuses, keyTemplate,
          staleWhileRevalidate, staleIfError, jitter, distributedLock);
    }
  }
}
