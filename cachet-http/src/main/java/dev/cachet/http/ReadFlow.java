package dev.cachet.http;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Loaded;
import dev.cachet.http.internal.CacheControl;
import dev.cachet.http.internal.CacheStatus;
import dev.cachet.http.internal.Cacheability;
import dev.cachet.http.internal.Freshness;
import dev.cachet.http.internal.HeaderRules;
import dev.cachet.http.internal.RequestKeys;
import dev.cachet.http.internal.Revalidations;
import dev.cachet.internal.NoopCachet;
import dev.cachet.internal.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The read path of {@link HttpCache}: decides BYPASS or SKIP, computes the key, and runs one
 * {@link ReadAttempt} through {@link Cachet#fetchAsync}, whose single-flight makes concurrent
 * misses of a key run the handler once. Holds what the attempts share. Thread-safe.
 */
final class ReadFlow {
  final Cachet cachet;
  final HttpCacheConfig config;
  final Clock clock;
  private final RequestKeys keys;
  final Replies replies;
  final Revalidations<Loaded<StoredResponse>> revalidations = new Revalidations<>();
  private final CachePolicies policies = new CachePolicies();
  final BodySizes bodySizes = new BodySizes();
  final LaterRoutes laterRoutes = new LaterRoutes();
  private final LearnedVary learnedVary = new LearnedVary();
  private final RateLimitedLog warnings;

  ReadFlow(Cachet cachet, HttpCacheConfig config, Clock clock, RequestKeys keys, Replies replies) {
    this.cachet = cachet;
    this.config = config;
    this.clock = clock;
    this.keys = keys;
    this.replies = replies;
    this.warnings = new RateLimitedLog(clock, Duration.ofSeconds(30));
  }

  /** The key of a read, or {@code null} when the request would not use the cache. */
  @Nullable String keyOf(HttpRequestView request, RoutePolicy route) {
    RequestKeys.Parsed parsed = keys.parse(request);
    if (parsed == null) {
      return null;
    }
    String identity = route.varyByPrincipal() ? request.identity() : null;
    try {
      return keys.key(parsed, request, route, learnedVary.of(route), identity);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Serves a read. A handler failure before this returns is thrown; one that comes later (from a
   * {@link OriginResponse#later} response) fails the future.
   *
   * @param later whether the origin may answer a miss later ({@link Forward#acceptsLater()})
   * @param resume where the request is resumed after waiting without its thread, or {@code null}
   *     for a request that waits on its thread ({@link HttpCache#handleReadAsync(HttpRequestView,
   *     RoutePolicy, Origin, java.util.concurrent.Executor)})
   */
  CompletableFuture<HttpCacheResult> serve(HttpRequestView request, RoutePolicy route, Origin origin,
      boolean later, @Nullable Executor resume) throws Exception {
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.METHOD, null));
    }
    if (cachet instanceof NoopCachet) {
      // Caching is switched off (cachet.enabled=false): say so, rather than "stored".
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.BYPASS, "disabled"));
    }
    boolean credentials =
        !request.headers("Authorization").isEmpty() || request.hasCookies() || request.authenticated();
    if (credentials && !route.varyByPrincipal() && !route.sharedDespiteCredentials()) {
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.BYPASS, "credentials"));
    }
    String identity = route.varyByPrincipal() ? request.identity() : null;
    if (credentials && route.varyByPrincipal() && identity == null) {
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.BYPASS, "no-identity"));
    }
    CacheControl directives = CacheControl.ofRequest(request.headers("Cache-Control"), request.headers("Pragma"));
    if (config.honourRequestNoStore() && directives.has("no-store")) {
      return done(route, forwardUncached(route, origin, XCache.SKIP, CacheStatus.REQUEST, null));
    }
    RequestKeys.Parsed parsed = keys.parse(request);
    if (parsed == null) {
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.BYPASS, RequestKeys.refusal(request)));
    }
    String key;
    CachePolicy policy;
    List<String> keyVary = learnedVary.of(route);
    try {
      key = keys.key(parsed, request, route, keyVary, identity);
      policy = policies.of(route, keys.tags(parsed, route));
    } catch (IllegalArgumentException e) {
      warnings.warn("not caching " + request, e);
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.BYPASS, "template"));
    }
    boolean noCache = config.honourRequestNoCache() && directives.has("no-cache");
    if (noCache && head) {
      // A HEAD response has no body to refresh the entry with: skip the read, keep the entry.
      return done(route, forwardUncached(route, origin, XCache.SKIP, CacheStatus.REQUEST, null));
    }
    if (directives.has("only-if-cached")) {
      // RFC 9111 section 5.2.1.7: a stored response, or a 504 without asking the origin.
      Origin none = forward -> OriginResponse.of(504, HttpHeaders.empty(), new byte[0]);
      return new ReadAttempt(this, request, route, none, head, false, key, keyVary, false, null)
          .onlyIfCached().run(policy);
    }
    return new ReadAttempt(this, request, route, origin, head, noCache, key, keyVary, later, resume).run(policy);
  }

  /** {@code result}, with what downstream caches must know of {@code route}'s responses. */
  CompletableFuture<HttpCacheResult> done(RoutePolicy route, HttpCacheResult result) {
    return CompletableFuture.completedFuture(downstream(route, result));
  }

  /** {@code result}, with what downstream caches must know of {@code route}'s responses. */
  HttpCacheResult downstream(RoutePolicy route, HttpCacheResult result) {
    return DownstreamHeaders.apply(route, result, config.privateWhenUnset());
  }

  /** Runs the handler without the cache, its body streamed to the client as written. */
  HttpCacheResult forwardUncached(
      RoutePolicy route, Origin origin, XCache xCache, String fwd, @Nullable String detail)
      throws Exception {
    CacheStatus base = CacheStatus.of(config.cacheName()).fwd(fwd);
    if (detail != null) {
      base.detail(detail);
    }
    String passStatus = base.toString();
    Forward forward = new Forward(Forward.Mode.PASS_THROUGH, config.maxBodyBytes(),
        reason -> DownstreamHeaders.forPassThrough(
            route, config.privateWhenUnset(), replies.cacheHeaders(xCache, passStatus)));
    OriginResponse r = origin.proceed(forward);
    CacheStatus status = CacheStatus.of(config.cacheName()).fwd(fwd).fwdStatus(r.status());
    if (detail != null) {
      status.detail(detail);
    }
    return replies.passOn(r, xCache, status.toString());
  }

  /**
   * Why {@code r} may not be stored under a key that varies by {@code keyVary}, or {@code null}.
   * A {@code Vary} naming other headers teaches them to the route ({@link LearnedVary}), so that
   * its next keys include them.
   */
  @Nullable String notStorableBecause(
      boolean head, RoutePolicy route, List<String> keyVary, OriginResponse r) {
    String why = Cacheability.notStorableBecause(
        head, route, config, r.status(), r.headers(), r.passThroughReason(), r.bodyLength(), keyVary);
    if (why == Cacheability.VARY) {
      Set<String> names = new HashSet<>(HeaderRules.varyNames(r.headers().all("Vary")));
      names.removeAll(config.ignoredVaryHeaders());
      learnedVary.learn(route, names);
    }
    return why;
  }

  /** A response to store; its body's size is what the route's next capture expects. */
  StoredResponse toStored(RoutePolicy route, OriginResponse r) {
    bodySizes.seen(route, r.bodyLength()); // stored bodies only: an error page says nothing
    return replies.toStored(r);
  }

  /**
   * {@code stored} as an entry under {@code policy}, bounded by what its response says: a
   * freshness shorter than the policy's TTL ({@link Freshness}: {@code s-maxage}, {@code max-age},
   * {@code Expires}, less {@code Age}) becomes its TTL, since a shared cache may not serve it
   * fresh for longer (RFC 9111 section 4.2); {@code must-revalidate} or {@code proxy-revalidate}
   * takes its stale windows away (section 5.2.2.2: once stale, it may not be served without the
   * origin), whatever the route allows.
   */
  static Loaded<StoredResponse> entry(StoredResponse stored, OriginResponse r, CachePolicy policy) {
    CacheControl cc = CacheControl.parse(r.headers().all("Cache-Control"));
    Duration lifetime = Freshness.sharedLifetime(r.headers(), cc, Instant.now());
    boolean shorter = lifetime != null && !lifetime.isZero() && lifetime.compareTo(policy.ttl()) < 0;
    boolean windows = !policy.staleWhileRevalidate().isZero() || !policy.staleIfError().isZero();
    boolean noStale = windows && (cc.has("must-revalidate") || cc.has("proxy-revalidate"));
    if (!shorter && !noStale) {
      return Loaded.of(stored);
    }
    // The record takes zero windows (off), which the builder's setters refuse.
    return Loaded.of(stored, new CachePolicy(shorter ? lifetime : policy.ttl(), policy.jitter(),
        policy.tags(), noStale ? Duration.ZERO : policy.staleWhileRevalidate(),
        noStale ? Duration.ZERO : policy.staleIfError(), policy.refreshAhead(),
        policy.distributedLock()));
  }
}
