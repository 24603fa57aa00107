package dev.cachet.http;

import dev.cachet.Cachet;
import dev.cachet.http.internal.ChangedLocations;
import dev.cachet.http.internal.PathTags;
import dev.cachet.http.internal.RequestKeys;
import dev.cachet.internal.RateLimitedLog;
import dev.cachet.store.UnsupportedCapabilityException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes what a write invalidates and applies it to the {@link Cachet}. Obtained from
 * {@link HttpCache#invalidator()}; {@link HttpCache#handleWrite} uses it after every successful
 * write, and adapters may use it directly (for writes they handle themselves, or from
 * application code). Thread-safe.
 */
public final class Invalidator {
  /**
   * The methods known to be safe: HTTP's own (RFC 9110 section 9.2.1) and WebDAV's read-only ones
   * (PROPFIND, RFC 4918; REPORT, RFC 3253; SEARCH, RFC 5323). Every other method may change the
   * resource, its safety unknown included (RFC 9111 section 4.4).
   */
  private static final Set<String> SAFE = Set.of(
      "GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH");
  private static final String KEY_TAG = "k:";

  private final Cachet cachet;
  private final HttpCacheConfig config;
  private final RequestKeys keys;
  private final RateLimitedLog warnings;

  Invalidator(Cachet cachet, HttpCacheConfig config, RequestKeys keys, Clock clock) {
    this.cachet = cachet;
    this.config = config;
    this.keys = keys;
    this.warnings = new RateLimitedLog(clock, Duration.ofSeconds(30));
  }

  /**
   * Whether {@code method} is one whose success invalidates: every method not known to be safe
   * (GET, HEAD, OPTIONS, TRACE, PROPFIND, REPORT, SEARCH; any case), so POST, PUT, PATCH, DELETE,
   * WebDAV's MOVE, COPY, PROPPATCH, MKCOL, LOCK and unknown methods (RFC 9111 section 4.4: a cache
   * must invalidate after a non-error answer to an unsafe method, including one whose safety is
   * unknown).
   */
  public static boolean invalidates(String method) {
    return !SAFE.contains(Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT));
  }

  /**
   * Whether a write answered with {@code status} succeeded, so that it invalidates: any status
   * that is not an error, {@code 2xx} or {@code 3xx} (RFC 9111, section 4.4), so that a write
   * answered with a redirect (Post/Redirect/Get) invalidates too; never {@code 1xx}, {@code 4xx},
   * {@code 5xx}.
   */
  public static boolean succeeded(int status) {
    return status >= 200 && status < 400;
  }

  /**
   * The tag that every response stored under a key template rendering {@code key} carries: its
   * full key adds the request's origin ({@code Host} and forwarding headers), vary-by headers and
   * caller, and invalidating this tag reaches every such variant at once. A declared key
   * invalidation ({@link InvalidationPolicy.Builder#keys}, the starter's
   * {@code @InvalidateCache(keys = ...)}) invalidates it along with the key itself; application
   * code can pass it to {@link Cachet#invalidateTags}.
   */
  public static String keyTag(String key) {
    return KEY_TAG + Objects.requireNonNull(key, "key");
  }

  /**
   * What {@code request}, answered with {@code status}, invalidates under {@code policy}: nothing
   * unless the method {@link #invalidates} and the write {@link #succeeded}; else the path tags of
   * the hierarchy mode, computed from the path alone (see {@link PathTags#forWrite(String,
   * HierarchyMode)}: a malformed query or path never makes a successful write invalidate
   * nothing), and the declared tags, keys and patterns rendered with the request's path
   * variables, its query's well-formed parameters and, for a form post, its fields
   * ({@link RequestKeys#writeVariables}); each declared key also brings its {@link #keyTag}.
   *
   * @throws IllegalArgumentException when a declared template needs a variable the request lacks
   */
  public InvalidationPlan plan(HttpRequestView request, int status, InvalidationPolicy policy) {
    return plan(request, status, HttpHeaders.empty(), policy);
  }

  /**
   * As {@link #plan(HttpRequestView, int, InvalidationPolicy)}, and, unless the hierarchy mode is
   * {@link HierarchyMode#NONE}, the resources a {@code 2xx} answer names in its {@code Location}
   * (a {@code 201 Created}'s new resource) and {@code Content-Location} (RFC 9111, section 4.4):
   * the path tags of a write to each, when it is on the request's host. A {@code 3xx}'s
   * {@code Location} is where to go next, not what changed, and is left alone.
   *
   * @param response the handler's response headers
   * @throws IllegalArgumentException when a declared template needs a variable the request lacks
   */
  public InvalidationPlan plan(
      HttpRequestView request, int status, HttpHeaders response, InvalidationPolicy policy) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(policy, "policy");
    if (!invalidates(request.method()) || !succeeded(status)) {
      return InvalidationPlan.empty();
    }
    Map<String, String> vars = keys.writeVariables(request);
    Set<String> tags = new LinkedHashSet<>(automaticTags(request, policy));
    HierarchyMode mode = hierarchyOf(policy);
    if (mode != HierarchyMode.NONE) {
      for (String path : ChangedLocations.of(request, status, response)) {
        tags.addAll(PathTags.forWrite(path, mode));
      }
    }
    for (Template t : policy.tags()) {
      tags.add(t.render(vars));
    }
    Set<String> keySet = new LinkedHashSet<>();
    String origin = RequestKeys.originPart(request);
    for (Template t : policy.keys()) {
      String key = t.render(vars);
      keySet.add(key);
      tags.add(keyTag(key)); // the responses of a key template, under every origin and variant
      if (!origin.isEmpty()) {
        keySet.add(key + origin); // the entry as requests through the same origin store it
      }
    }
    Set<String> patterns = new LinkedHashSet<>();
    for (Template t : policy.patterns()) {
      patterns.add(t.render(vars));
    }
    return new InvalidationPlan(tags, keySet, patterns);
  }

  /** The plan of the automatic hierarchy alone, which needs no template. */
  InvalidationPlan automaticPlan(HttpRequestView request, int status, InvalidationPolicy policy) {
    if (!invalidates(request.method()) || !succeeded(status)) {
      return InvalidationPlan.empty();
    }
    return new InvalidationPlan(automaticTags(request, policy), Set.of(), Set.of());
  }

  /** The path tags of the hierarchy: from the raw path alone, so a bad query cannot void them. */
  private Set<String> automaticTags(HttpRequestView request, InvalidationPolicy policy) {
    return PathTags.forWrite(request.rawPath(), hierarchyOf(policy));
  }

  private HierarchyMode hierarchyOf(InvalidationPolicy policy) {
    return policy.hierarchy() != null ? policy.hierarchy() : config.hierarchyMode();
  }

  /**
   * Applies {@code plan}: tags through {@link Cachet#invalidateTags}, keys through
   * {@link Cachet#delete}, patterns through {@link Cachet#deleteByPattern}. On a store that cannot
   * delete by pattern (Memcached) the whole namespace is cleared instead, with a logged error:
   * what the pattern names cannot be found, and stale is worse than cold.
   *
   * @return whether every part was applied as declared (false when the namespace was cleared
   *     instead of a pattern)
   */
  public boolean apply(InvalidationPlan plan) {
    Objects.requireNonNull(plan, "plan");
    if (!plan.tags().isEmpty()) {
      cachet.invalidateTags(plan.tags());
    }
    plan.keys().forEach(cachet::delete);
    for (String pattern : plan.patterns()) {
      try {
        cachet.deleteByPattern(pattern);
      } catch (UnsupportedCapabilityException e) {
        warnings.warn("pattern invalidation '" + pattern + "' is not possible on this store; cleared"
            + " the cache namespace instead, so that nothing stale is served: declare tags instead", e);
        cachet.clear();
        return false;
      }
    }
    return true;
  }
}
