package dev.cachet.http;

import dev.cachet.Cachet;
import dev.cachet.http.internal.CacheStatus;
import dev.cachet.http.internal.QueryNormalizer;
import dev.cachet.http.internal.RequestKeys;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * HTTP response caching over a {@link Cachet}: what a framework adapter drives for each request.
 *
 * <p>Reads of a cached route go through {@link #handleRead}: it answers {@link XCache#BYPASS} or
 * {@link XCache#SKIP} without touching the cache where it must, serves fresh and stale entries
 * and {@code 304}s, and on a miss runs the handler through {@link Cachet#fetchAsync}, so that
 * concurrent misses of one key run the handler once (responses that may not be stored are not
 * shared: each waiting request then runs its own handler). Adapters whose handlers may answer
 * after their request thread returned use {@link #handleReadAsync}, and those that can also
 * resume a request later let such requests wait for each other without their threads. Writes go through
 * {@link #handleWrite}: the handler runs, and a {@code 2xx} or {@code 3xx} invalidates the path hierarchy and
 * what the {@link InvalidationPolicy} declares, before the response is returned to be sent.
 *
 * <p>The adapter writes the returned {@link HttpCacheResult} (unless it is committed), then calls
 * {@link HttpCacheResult#revalidate} for stale hits. Exceptions of the handler are rethrown as
 * they are; store failures never surface (the core reads them as misses).
 *
 * <p>Thread-safe; one instance serves the whole application. Every method throws
 * {@link NullPointerException} for a {@code null} argument.
 */
public final class HttpCache {
  private static final System.Logger LOG = System.getLogger("dev.cachet.http");

  private final Cachet cachet;
  private final HttpCacheConfig config;
  private final ReadFlow reads;
  private final Invalidator invalidator;
  private final Replies replies;

  private HttpCache(Cachet cachet, HttpCacheConfig config, Clock clock) {
    this.cachet = cachet;
    this.config = config;
    RequestKeys keys = new RequestKeys(new QueryNormalizer(config.ignoredParameters()));
    this.replies = new Replies(config, clock);
    this.reads = new ReadFlow(cachet, config, clock, keys, replies);
    this.invalidator = new Invalidator(cachet, config, keys, clock);
  }

  /** A builder over {@code cachet}, which the HTTP cache uses but does not own (nor close). */
  public static Builder builder(Cachet cachet) {
    return new Builder(cachet);
  }

  /**
   * Handles a read ({@code GET} or {@code HEAD}) of a route cached under {@code route}. Any other
   * method is forwarded untouched as {@link XCache#BYPASS} (use {@link #handleWrite} for writes).
   *
   * @throws Exception what the handler threw (when no stale response may replace it)
   * @throws IllegalStateException when the origin answers {@link OriginResponse#later}, which
   *     only {@link #handleReadAsync} accepts
   */
  public HttpCacheResult handleRead(HttpRequestView request, RoutePolicy route, Origin origin)
      throws Exception {
    return Futures.valueOf(read(request, route, origin, false, null)); // done: nothing answers later
  }

  /**
   * {@link #handleRead} for an adapter whose handlers may answer after their request thread
   * returned (asynchronous requests): on a miss, the origin may return
   * {@link OriginResponse#later} when the {@link Forward} {@link Forward#acceptsLater() accepts
   * it}, and the result then completes when that response does, stored like any other. Everything
   * before that (the lookup, joining a concurrent miss of the key, which waits on this thread as
   * with {@link #handleRead}, running the handler) happens before this returns, and the result
   * is complete then unless the origin answered later.
   *
   * <p>The future fails with what the handler threw (or its later response failed with), as
   * {@link #handleRead} throws it; it never fails for the cache's own reasons.
   */
  public CompletableFuture<HttpCacheResult> handleReadAsync(
      HttpRequestView request, RoutePolicy route, Origin origin) {
    return read(request, route, origin, true, null);
  }

  /**
   * {@link #handleReadAsync(HttpRequestView, RoutePolicy, Origin)} for a request that can wait
   * without its thread: a concurrent miss of the key whose handler answers later (its load holds
   * no thread) is not waited for on this thread. The result is then returned at once, and
   * completes when that load does, on the thread that completes it, answered from its response
   * as a waiting request is. A concurrent miss whose handler still runs on its thread is waited
   * for on this one until it completes or answers later, whichever comes first.
   *
   * <p>Where the request must run its own handler after that wait (the load outlasted the
   * cache's {@code maxWait}, answered {@code 5xx}, or produced a response that may not be
   * shared), {@code origin} is called from a task given to {@code resume}, which the adapter must
   * run on a thread where the handler may run for this request (a Servlet filter: in a later
   * dispatch of it); the result then completes with that run's answer, or fails when
   * {@code resume} rejects the task. {@code resume} is given at most one task.
   */
  public CompletableFuture<HttpCacheResult> handleReadAsync(
      HttpRequestView request, RoutePolicy route, Origin origin, Executor resume) {
    return read(request, route, origin, true, Objects.requireNonNull(resume, "resume"));
  }

  private CompletableFuture<HttpCacheResult> read(
      HttpRequestView request, RoutePolicy route, Origin origin, boolean later, @Nullable Executor resume) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(origin, "origin");
    try {
      return reads.serve(request, route, origin, later, resume);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Handles a request that is not a cached read, typically a write: runs the handler with its
   * body buffered up to the size cap, then, when the method is not known to be safe
   * ({@link Invalidator#invalidates}: {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE},
   * WebDAV's writes, unknown methods) and the status {@code 2xx} or {@code 3xx}, applies the invalidation of
   * {@code policy} before returning. A body larger than the cap passes through to the client; its
   * invalidation then runs when the adapter tells the status ({@link Forward#complete}), before
   * the first byte leaves. A handler that goes on asynchronously ({@link Forward#completeLater})
   * invalidates when the adapter tells its final status. A declared template that cannot be rendered (a
   * successful write without a query parameter it names) is logged as an error and the whole
   * namespace is cleared instead, since what it would have named is unknown; a write that
   * succeeded is never turned into an error.
   * The result is marked {@link XCache#BYPASS} ({@code Cache-Status: Cachet; fwd=method}).
   *
   * @throws Exception what the handler threw (nothing is invalidated then)
   */
  public HttpCacheResult handleWrite(
      HttpRequestView request, InvalidationPolicy policy, Origin origin) throws Exception {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(origin, "origin");
    String passStatus = CacheStatus.of(config.cacheName()).fwd(CacheStatus.METHOD).toString();
    Forward forward = new Forward(Forward.Mode.CAPTURE, config.maxBodyBytes(),
        reason -> replies.cacheHeaders(XCache.BYPASS, passStatus))
        .whenComplete((headers, status) -> invalidate(request, status, headers, policy));
    OriginResponse r = origin.proceed(forward);
    if (!forward.completesLater()) {
      forward.complete(r.status(), r.headers()); // done already if the body passed through
    }
    String status = CacheStatus.of(config.cacheName()).fwd(CacheStatus.METHOD).fwdStatus(r.status()).toString();
    return replies.passOn(r, XCache.BYPASS, status);
  }

  private void invalidate(
      HttpRequestView request, int status, HttpHeaders headers, InvalidationPolicy policy) {
    InvalidationPlan plan;
    try {
      plan = invalidator.plan(request, status, headers, policy);
    } catch (IllegalArgumentException e) {
      // What the declared part would have named is unknown, and stale is worse than cold: the
      // namespace goes, as the starter does for an @InvalidateCache it cannot render.
      LOG.log(Level.ERROR, "cannot render the declared invalidation of " + request + " ("
          + e.getMessage() + "); clearing the cache namespace instead, so that nothing stale is served");
      cachet.clear();
      return;
    }
    if (!plan.isEmpty()) {
      invalidator.apply(plan);
    }
  }

  /**
   * The key a read of {@code request} under {@code route} uses, or {@code null} when it would
   * not be cached (a path or query that cannot be normalized safely, a missing template
   * variable). For diagnostics and administration.
   */
  public @Nullable String keyOf(HttpRequestView request, RoutePolicy route) {
    return reads.keyOf(Objects.requireNonNull(request, "request"), Objects.requireNonNull(route, "route"));
  }

  /** Computes and applies invalidations with this cache's configuration. */
  public Invalidator invalidator() {
    return invalidator;
  }

  public HttpCacheConfig config() {
    return config;
  }

  public Cachet cachet() {
    return cachet;
  }

  /**
   * Builds an {@link HttpCache}. Each setter may be called once ({@link IllegalStateException}
   * otherwise). Not thread-safe.
   */
  public static final class Builder {
    private final Cachet cachet;
    private HttpCacheConfig config = HttpCacheConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private final Set<String> set = new HashSet<>();

    private Builder(Cachet cachet) {
      this.cachet = Objects.requireNonNull(cachet, "cachet");
    }

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /** The settings; default {@link HttpCacheConfig#defaults()}. */
    public Builder config(HttpCacheConfig config) {
      once("config");
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The clock of {@code Date}, {@code Age} and {@code Cache-Status} ttl; the same as the
     * {@link Cachet}'s. Default the system UTC clock.
     */
    public Builder clock(Clock clock) {
      once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public HttpCache build() {
      return new HttpCache(cachet, config, clock);
    }
  }
}
