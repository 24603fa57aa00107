package dev.cachet.http;

import dev.cachet.AsyncEntryLoader;
import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Loaded;
import dev.cachet.http.internal.CacheControl;
import dev.cachet.http.internal.CacheStatus;
import dev.cachet.http.internal.Cacheability;
import dev.cachet.http.internal.HeaderRules;
import dev.cachet.http.internal.RequestKeys;
import dev.cachet.http.internal.Revalidations;
import dev.cachet.internal.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The read path of {@link HttpCache}: decides BYPASS or SKIP, computes the key, and runs one
 * {@link Attempt} through {@link Cachet#fetch}, whose single-flight makes concurrent misses of a
 * key run the handler once. Thread-safe.
 */
final class ReadFlow {
  /** Returned (never stored, never shared) by loads whose response is not stored. */
  private static final StoredResponse UNCACHEABLE = StoredResponse.wrap(500, HttpHeaders.empty(), Body.EMPTY);

  private final Cachet cachet;
  private final HttpCacheConfig config;
  private final Clock clock;
  private final RequestKeys keys;
  private final Replies replies;
  private final Revalidations<Loaded<StoredResponse>> revalidations = new Revalidations<>();
  private final CachePolicies policies = new CachePolicies();
  private final BodySizes bodySizes = new BodySizes();
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

  /** A handler's 5xx turned into a loader failure, so that the core may serve stale-if-error. */
  private static final class OriginError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Attempt attempt;

    OriginError(Attempt attempt) {
      super("the handler answered a server error", null, false, false);
      this.attempt = attempt;
    }
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
   */
  CompletableFuture<HttpCacheResult> serve(HttpRequestView request, RoutePolicy route, Origin origin,
      boolean later) throws Exception {
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      return done(route, forwardUncached(route, origin, XCache.BYPASS, CacheStatus.METHOD, null));
    }
    boolean credentials = !request.headers("Authorization").isEmpty() || request.hasCookies();
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
    if (noCache) {
      // Deleting first lets fetch load with versions captured before the handler runs, which a
      // put after the handler could not do.
      cachet.delete(key);
    }
    return new Attempt(request, route, origin, head, noCache, key, keyVary, later).run(policy);
  }

  /** {@code result}, with what downstream caches must know of {@code route}'s responses. */
  private CompletableFuture<HttpCacheResult> done(RoutePolicy route, HttpCacheResult result) {
    return CompletableFuture.completedFuture(DownstreamHeaders.apply(route, result, config.privateWhenUnset()));
  }

  /** Runs the handler without the cache, its body streamed to the client as written. */
  private HttpCacheResult forwardUncached(
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
  private @Nullable String notStorableBecause(
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
  private StoredResponse toStored(RoutePolicy route, OriginResponse r) {
    bodySizes.seen(route, r.bodyLength()); // stored bodies only: an error page says nothing
    return replies.toStored(r);
  }

  /** One cached read: the loader the core runs on a miss, and the interpretation of its result. */
  private final class Attempt implements AsyncEntryLoader<StoredResponse> {
    private final HttpRequestView request;
    private final RoutePolicy route;
    private final Origin origin;
    private final boolean head;
    private final String key;
    /** The headers {@link #key} varies by: only responses they cover may be stored. */
    private final List<String> keyVary;
    private final XCache missLabel;
    private final String fwd;
    private final Thread owner = Thread.currentThread();
    /** Whether the origin may answer later ({@link Forward#acceptsLater()}). */
    private final boolean later;
    private volatile boolean inFetch;
    private @Nullable Forward forward;
    private @Nullable OriginResponse response;
    private @Nullable StoredResponse stored;
    private @Nullable String notStored;
    private @Nullable Throwable failure;
    private long lookupMark;

    Attempt(HttpRequestView request, RoutePolicy route, Origin origin, boolean head, boolean noCache,
        String key, List<String> keyVary, boolean later) {
      this.later = later;
      this.request = request;
      this.route = route;
      this.origin = origin;
      this.head = head;
      this.key = key;
      this.keyVary = keyVary;
      this.missLabel = noCache ? XCache.SKIP : XCache.MISS;
      // Keys that vary by headers or principal cannot tell a URI miss from a variant miss.
      boolean varies = !keyVary.isEmpty() || route.varyByPrincipal();
      this.fwd = noCache ? CacheStatus.REQUEST : varies ? CacheStatus.MISS : CacheStatus.URI_MISS;
    }

    @Override
    public CompletableFuture<Loaded<StoredResponse>> load() throws Exception {
      if (!inFetch || Thread.currentThread() != owner) {
        // The core's background refresh of a stale entry: a request thread runs the handler.
        try {
          return CompletableFuture.completedFuture(revalidations.await(key, config.revalidationTimeout()));
        } catch (TimeoutException | IllegalStateException nobody) {
          // Not a failure to share: requests that joined this refresh then run their own handler.
          return CompletableFuture.completedFuture(Loaded.uncacheable(UNCACHEABLE));
        }
      }
      Forward f = new Forward(Forward.Mode.CAPTURE, config.maxBodyBytes(),
          reason -> DownstreamHeaders.forPassThrough(route, config.privateWhenUnset(), replies.cacheHeaders(missLabel,
              CacheStatus.of(config.cacheName()).fwd(fwd).detail(reason).toString())),
          bodySizes.expected(route), later);
      this.forward = f;
      OriginResponse r;
      try {
        r = origin.proceed(f);
      } catch (Throwable t) {
        failure = t;
        throw t;
      }
      CompletableFuture<OriginResponse> pending = r.later();
      if (pending == null) {
        return CompletableFuture.completedFuture(produced(r));
      }
      if (!later) {
        throw new IllegalStateException("the origin answered later, but its forward does not accept it");
      }
      return pending.handle((answer, error) -> {
        if (error != null) {
          failure = Futures.unwrap(error);
          throw new CompletionException(failure);
        }
        return produced(answer);
      });
    }

    /** What the handler's response {@code r} becomes: an entry to store, or this caller's alone. */
    private Loaded<StoredResponse> produced(OriginResponse r) {
      response = r;
      notStored = notStorableBecause(head, route, keyVary, r);
      if (notStored == null) {
        stored = toStored(route, r);
        return Loaded.of(stored);
      }
      if (r.status() >= 500 && !r.passedThrough() && !route.staleIfError().isZero()) {
        throw new OriginError(this);
      }
      return Loaded.uncacheable(UNCACHEABLE);
    }

    CompletableFuture<HttpCacheResult> run(CachePolicy policy) {
      lookupMark = revalidations.mark(key);
      CompletableFuture<CacheResult<StoredResponse>> fetched;
      inFetch = true;
      try {
        fetched = cachet.fetchAsync(key, StoredResponse.codec(), policy, this);
      } finally {
        inFetch = false;
      }
      if (fetched.isDone()) {
        return answer(fetched); // no continuation to allocate: the usual case, a hit
      }
      return fetched.handle((result, error) -> fetched).thenCompose(this::answer);
    }

    /** The answer to the request once {@code fetched} completed, or what the handler failed with. */
    private CompletableFuture<HttpCacheResult> answer(CompletableFuture<CacheResult<StoredResponse>> fetched) {
      try {
        CacheResult<StoredResponse> result;
        try {
          result = fetched.join();
        } catch (CompletionException | CancellationException e) {
          return done(route, failed(Futures.unwrap(e)));
        }
        return done(route, fetched(result));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** The answer when the fetch failed: a 5xx of the handler's, or what it threw. */
    private HttpCacheResult failed(Throwable e) throws Exception {
      if (e instanceof OriginError error) {
        if (error.attempt == this && response != null) {
          return replies.passOn(response, missLabel, forwarded(response.status()).detail(Cacheability.STATUS).toString());
        }
        // A concurrent request's handler answered 5xx: this one asks the handler itself.
        return forwardUncached(route, origin, missLabel, fwd, Cacheability.STATUS);
      }
      Throwable thrown = e instanceof CacheLoaderException && failure != null && e.getCause() == failure ? failure : e;
      if (thrown instanceof Exception ex) {
        throw ex; // the handler's own checked exception, unwrapped
      }
      if (thrown instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(thrown);
    }

    private HttpCacheResult fetched(CacheResult<StoredResponse> result) throws Exception {
      StoredResponse value = result.value();
      if (response != null) {
        return afterOwnLoad(response, result);
      }
      if (failure != null) {
        if (forward != null && forward.passedThrough()) {
          throw failure instanceof Exception ex ? ex : new IllegalStateException(failure);
        }
        // The handler threw; the core served the stale response instead.
        return replies.replay(nonNull(value), request, head, XCache.STALE,
            CacheStatus.of(config.cacheName()).fwd(CacheStatus.STALE).detail("stale-if-error").toString(),
            result.storedAt(), null);
      }
      StoredResponse v = nonNull(value);
      Instant now = clock.instant();
      long remaining = route.ttl().minus(result.age(now)).getSeconds();
      switch (result.status()) {
        case HIT -> {
          CacheStatus s = CacheStatus.of(config.cacheName()).hit();
          if (route.jitter() == 0 && remaining > 0) {
            s.ttl(remaining); // with jitter the true lifetime is unknown
          }
          return replies.replay(v, request, head, XCache.HIT, s.toString(), result.storedAt(), null);
        }
        case STALE -> {
          CacheStatus s = CacheStatus.of(config.cacheName()).hit();
          Duration past = result.age(now).minus(route.ttl());
          if (route.jitter() == 0 && !past.isNegative()) {
            s.ttl(-Math.max(past.getSeconds(), 0));
          }
          s.detail("stale");
          HttpCacheResult.Revalidation rv = head ? null : this::revalidate;
          return replies.replay(v, request, head, XCache.STALE, s.toString(), result.storedAt(), rv);
        }
        default -> {
          // Another request's handler ran while this one waited: its response is shared.
          String s = forwarded(v.status()).collapsed().toString();
          return replies.replay(v, request, head, missLabel, s, result.storedAt(), null);
        }
      }
    }

    private HttpCacheResult afterOwnLoad(OriginResponse r, CacheResult<StoredResponse> result) {
      if (r.passedThrough()) {
        return replies.passOn(r, missLabel, "");
      }
      StoredResponse stale = result.value();
      if (result.status() == CacheResult.Status.STALE && stored == null && stale != null
          && r.status() >= 500) {
        // The handler answered 5xx inside the stale-if-error window: the stale response instead.
        String s = CacheStatus.of(config.cacheName()).fwd(CacheStatus.STALE).fwdStatus(r.status())
            .detail("stale-if-error").toString();
        return replies.replay(stale, request, head, XCache.STALE, s, result.storedAt(), null);
      }
      if (stored != null) {
        return replies.replay(stored, request, head, missLabel,
            forwarded(r.status()).stored().toString(), null, null);
      }
      return replies.passOn(r, missLabel, forwarded(r.status()).detail(nonNull(notStored)).toString());
    }

    private CacheStatus forwarded(int status) {
      return CacheStatus.of(config.cacheName()).fwd(fwd).fwdStatus(status);
    }

    /** Serves the core's background refresh of this stale entry, if one waits, on this thread. */
    private boolean revalidate(Origin handler) {
      return revalidations.serve(key, lookupMark, config.revalidationWait(), () -> {
        Forward f = new Forward(Forward.Mode.DETACHED, config.maxBodyBytes(), reason -> HttpHeaders.empty(),
            bodySizes.expected(route));
        OriginResponse r = handler.proceed(f);
        String why = notStorableBecause(false, route, keyVary, r);
        if (why != null) {
          return Loaded.uncacheable(UNCACHEABLE);
        }
        return Loaded.of(toStored(route, r));
      });
    }
  }

  private static <T> T nonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("the cache returned no value");
    }
    return value;
  }
}
