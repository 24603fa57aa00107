package dev.cachet.http;

import dev.cachet.AsyncEntryLoader;
import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Loaded;
import dev.cachet.StaleRefresh;
import dev.cachet.http.internal.CacheStatus;
import dev.cachet.http.internal.Cacheability;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One cached read of {@link ReadFlow}: the loader the core runs on a miss (or on a stale entry of
 * a route whose handler answers later, which this request then refreshes: {@link #staleRefresh}),
 * and the interpretation of its result. The handler runs only where the adapter may run it for
 * this request: on the request's thread while {@link #run} runs, or where the adapter resumes a
 * request that waited without its thread ({@link #execute}). Used by one request; its result may
 * complete on another thread.
 */
final class ReadAttempt implements AsyncEntryLoader<StoredResponse>, Executor {
  /** Returned (never stored, never shared) by loads whose response is not stored. */
  private static final StoredResponse UNCACHEABLE = StoredResponse.wrap(500, HttpHeaders.empty(), Body.EMPTY);

  /** A handler's 5xx turned into a loader failure, so that the core may serve stale-if-error. */
  private static final class OriginError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ReadAttempt attempt;

    OriginError(ReadAttempt attempt) {
      super("the handler answered a server error", null, false, false);
      this.attempt = attempt;
    }
  }

  private final ReadFlow flow;
  private final HttpCacheConfig config;
  private final Replies replies;
  private final HttpRequestView request;
  private final RoutePolicy route;
  private final Origin origin;
  private final boolean head;
  private final String key;
  /** The headers {@link #key} varies by: only responses they cover may be stored. */
  private final List<String> keyVary;
  private final XCache missLabel;
  /** A client's {@code no-cache}: the handler runs whatever entry the key has, which stays. */
  private final boolean noCache;
  /** A client's {@code only-if-cached}: the origin is a {@code 504}, never the handler. */
  private boolean onlyIfCached;
  /** {@code Cache-Status}'s {@code fwd} when the handler runs: why it runs. */
  private volatile String fwd;
  /** How a stale entry this read found is refreshed, once the core asked. */
  private volatile StaleRefresh staleRefresh = StaleRefresh.BACKGROUND;
  private final Thread owner = Thread.currentThread();
  /** Whether the origin may answer later ({@link Forward#acceptsLater()}). */
  private final boolean later;
  /** Where the adapter resumes this request after a wait without its thread; {@code null}: none. */
  private final @Nullable Executor resume;
  private volatile boolean inFetch;
  private volatile boolean inRun;
  private volatile @Nullable Thread resumedOn;
  private @Nullable Forward forward;
  private @Nullable OriginResponse response;
  private @Nullable StoredResponse stored;
  private @Nullable String notStored;
  private @Nullable Throwable failure;
  private long lookupMark;
  /** The read's policy, once {@link #run} has it. */
  private volatile @Nullable CachePolicy policy;

  ReadAttempt(ReadFlow flow, HttpRequestView request, RoutePolicy route, Origin origin, boolean head,
      boolean noCache, String key, List<String> keyVary, boolean later, @Nullable Executor resume) {
    this.flow = flow;
    this.config = flow.config;
    this.replies = flow.replies;
    this.later = later;
    this.resume = resume;
    this.request = request;
    this.route = route;
    this.origin = origin;
    this.head = head;
    this.key = key;
    this.keyVary = keyVary;
    this.noCache = noCache;
    this.missLabel = noCache ? XCache.SKIP : XCache.MISS;
    // Keys that vary by headers or principal cannot tell a URI miss from a variant miss.
    boolean varies = !keyVary.isEmpty() || route.varyByPrincipal();
    this.fwd = noCache ? CacheStatus.REQUEST : varies ? CacheStatus.MISS : CacheStatus.URI_MISS;
  }

  /**
   * A stale entry of a route whose handler answers later is refreshed by this request itself, in
   * the foreground, as a miss would load it (a background refresh would run the handler for a
   * response it cannot capture); a {@code HEAD} request, which cannot refresh it, leaves it to a
   * {@code GET}. Other routes refresh in the background, served after the stale response.
   */
  @Override
  public StaleRefresh staleRefresh() {
    if (onlyIfCached) {
      staleRefresh = StaleRefresh.NONE;
      return StaleRefresh.NONE; // its origin is no handler: nothing to refresh with
    }
    StaleRefresh mode = StaleRefresh.BACKGROUND;
    if (later && flow.laterRoutes.answersLater(route)) {
      mode = head ? StaleRefresh.NONE : StaleRefresh.FOREGROUND;
      if (!head) {
        fwd = CacheStatus.STALE; // the handler runs because the entry was stale
      }
    }
    staleRefresh = mode;
    return mode;
  }

  /**
   * A client's {@code no-cache} loads a new response whatever the key holds, and leaves the entry
   * in place until that response replaces it: a failed or unstorable refresh then takes nothing
   * from other clients (a stale-if-error copy above all).
   */
  @Override
  public boolean reloads() {
    return noCache;
  }

  /**
   * A {@code HEAD} miss has no body to store: it joins a {@code GET}'s load of the key, and
   * otherwise runs its handler alone, never making concurrent {@code GET}s wait for it and then
   * each run their own.
   */
  @Override
  public boolean mayLead() {
    return !head && !onlyIfCached;
  }

  /** Marks a read whose client said {@code only-if-cached}: it neither leads nor refreshes. */
  ReadAttempt onlyIfCached() {
    onlyIfCached = true;
    return this;
  }

  @Override
  public @Nullable Executor resumption() {
    return resume == null ? null : this;
  }

  /**
   * Runs {@code task} where the adapter resumes this request, on a thread where the handler may
   * run for it.
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(resume, "this read is not resumable").execute(() -> {
      resumedOn = Thread.currentThread();
      try {
        task.run();
      } finally {
        resumedOn = null;
      }
    });
  }

  /** Whether this thread may run the handler for this request now. */
  private boolean mayProceedHere() {
    Thread current = Thread.currentThread();
    return (inRun && current == owner) || current == resumedOn;
  }

  @Override
  public CompletableFuture<Loaded<StoredResponse>> load() throws Exception {
    Thread current = Thread.currentThread();
    if (!(inFetch && current == owner) && current != resumedOn) {
      // The core's background refresh of a stale entry: a request thread runs the handler.
      try {
        return CompletableFuture.completedFuture(flow.revalidations.await(key, config.revalidationTimeout()));
      } catch (TimeoutException | IllegalStateException nobody) {
        // Not a failure to share: requests that joined this refresh then run their own handler.
        return CompletableFuture.completedFuture(Loaded.uncacheable(UNCACHEABLE));
      }
    }
    Forward f = new Forward(Forward.Mode.CAPTURE, config.maxBodyBytes(),
        reason -> DownstreamHeaders.forPassThrough(route, config.privateWhenUnset(), replies.cacheHeaders(missLabel,
            CacheStatus.of(config.cacheName()).fwd(fwd).detail(reason).toString())),
        flow.bodySizes.expected(route), later);
    if (!head) {
      f.askFullResponse(); // it may be stored: never a 304 or 206 meant for this client alone
    }
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
    flow.laterRoutes.learn(route);
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
    notStored = flow.notStorableBecause(head, route, keyVary, r);
    if (notStored == null) {
      stored = flow.toStored(route, r);
      return loaded(stored, r);
    }
    // A failed load, for which the core may serve the stale entry: inside stale-if-error, and
    // inside stale-while-revalidate when this request refreshes it in the foreground.
    boolean staleMayServe = !route.staleIfError().isZero() || staleRefresh == StaleRefresh.FOREGROUND;
    if (r.status() >= 500 && !r.passedThrough() && staleMayServe) {
      throw new OriginError(this);
    }
    return Loaded.uncacheable(UNCACHEABLE);
  }

  /** {@code stored} as an entry under this read's policy ({@link ReadFlow#entry}). */
  private Loaded<StoredResponse> loaded(StoredResponse stored, OriginResponse r) {
    CachePolicy p = policy;
    return p == null ? Loaded.of(stored) : ReadFlow.entry(stored, r, p);
  }

  CompletableFuture<HttpCacheResult> run(CachePolicy policy) {
    this.policy = policy;
    inRun = true;
    try {
      lookupMark = flow.revalidations.mark(key);
      CompletableFuture<CacheResult<StoredResponse>> fetched;
      inFetch = true;
      try {
        fetched = flow.cachet.fetchAsync(key, StoredResponse.codec(), policy, this);
      } finally {
        inFetch = false;
      }
      if (fetched.isDone()) {
        return answer(fetched); // no continuation to allocate: the usual case, a hit
      }
      return fetched.handle((result, error) -> fetched).thenCompose(this::answer);
    } finally {
      inRun = false;
    }
  }

  /** The answer to the request once {@code fetched} completed, or what the handler failed with. */
  private CompletableFuture<HttpCacheResult> answer(CompletableFuture<CacheResult<StoredResponse>> fetched) {
    try {
      CacheResult<StoredResponse> result;
      try {
        result = fetched.join();
      } catch (CompletionException | CancellationException e) {
        Throwable cause = Futures.unwrap(e);
        if (cause instanceof OriginError error && error.attempt != this && resume != null && !mayProceedHere()) {
          // A load this request waited for without its thread answered 5xx: it asks the handler
          // itself, where the adapter resumes it.
          return resumed(() -> forwardAlone());
        }
        return flow.done(route, failed(cause));
      }
      return flow.done(route, fetched(result));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The handler's response for this request alone, unstored, streamed as it is written. */
  private HttpCacheResult forwardAlone() throws Exception {
    return flow.forwardUncached(route, origin, missLabel, fwd, Cacheability.STATUS);
  }

  /** What {@code work} answers, run where the adapter resumes this request. */
  private CompletableFuture<HttpCacheResult> resumed(Callable<HttpCacheResult> work) {
    CompletableFuture<HttpCacheResult> result = new CompletableFuture<>();
    try {
      execute(() -> {
        try {
          result.complete(flow.downstream(route, work.call()));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(rejected);
    }
    return result;
  }

  /** The answer when the fetch failed: a 5xx of the handler's, or what it threw. */
  private HttpCacheResult failed(Throwable e) throws Exception {
    if (e instanceof OriginError error) {
      if (error.attempt == this && response != null) {
        return replies.passOn(response, missLabel, onlyIfCached ? notForwarded()
            : forwarded(response.status()).detail(Cacheability.STATUS).toString());
      }
      // A concurrent request's handler answered 5xx: this one asks the handler itself.
      return forwardAlone();
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
    // RFC 9211's ttl: what the entry records (its jittered TTL, shortened by the response's own
    // freshness or a soft invalidation), not the route's TTL; unknown, it is left out.
    Duration remaining = result.remainingFreshness(flow.clock.instant());
    switch (result.status()) {
      case HIT -> {
        CacheStatus s = CacheStatus.of(config.cacheName()).hit(remaining, false);
        return replies.replay(v, request, head, XCache.HIT, s.toString(), result.storedAt(), null);
      }
      case STALE -> {
        CacheStatus s = CacheStatus.of(config.cacheName()).hit(remaining, true);
        // Refreshed in the background, served by this request after its stale response; not for
        // a route refreshed in the foreground, whose refresh is another request's own.
        HttpCacheResult.Revalidation rv = head || staleRefresh != StaleRefresh.BACKGROUND ? null : this::revalidate;
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
      // The handler answered 5xx inside the stale-if-error window: the stale response instead;
      // for only-if-cached, a stale copy it was given without asking anyone.
      String s = onlyIfCached
          ? CacheStatus.of(config.cacheName()).hit(result.remainingFreshness(flow.clock.instant()), true).toString()
          : CacheStatus.of(config.cacheName()).fwd(CacheStatus.STALE).fwdStatus(r.status())
              .detail("stale-if-error").toString();
      return replies.replay(stale, request, head, XCache.STALE, s, result.storedAt(), null);
    }
    if (onlyIfCached) {
      return replies.passOn(r, missLabel, notForwarded());
    }
    if (stored != null) {
      return replies.replay(stored, request, head, missLabel,
          forwarded(r.status()).stored().toString(), null, null);
    }
    String status = forwarded(r.status()).detail(nonNull(notStored)).toString();
    // A GET's handler answered without the client's validators: they are evaluated here.
    return head ? replies.passOn(r, missLabel, status) : replies.passOn(r, request, missLabel, status);
  }

  /**
   * The {@code Cache-Status} of the {@code 504} a client's {@code only-if-cached} gets without an
   * entry: nothing went forward, so no {@code fwd} and no {@code fwd-status} (RFC 9211).
   */
  private String notForwarded() {
    return CacheStatus.of(config.cacheName()).detail("only-if-cached").toString();
  }

  private CacheStatus forwarded(int status) {
    return CacheStatus.of(config.cacheName()).fwd(fwd).fwdStatus(status);
  }

  /** Serves the core's background refresh of this stale entry, if one waits, on this thread. */
  private boolean revalidate(Origin handler) {
    return flow.revalidations.serve(key, lookupMark, config.revalidationWait(), () -> {
      Forward f = new Forward(Forward.Mode.DETACHED, config.maxBodyBytes(), reason -> HttpHeaders.empty(),
          flow.bodySizes.expected(route)).askFullResponse();
      OriginResponse r;
      try {
        r = handler.proceed(f);
      } catch (Exception e) {
        if (f.wentAsynchronous()) {
          flow.laterRoutes.learn(route); // refreshed in the foreground from now on
        }
        throw e;
      }
      String why = flow.notStorableBecause(false, route, keyVary, r);
      if (why != null) {
        return Loaded.uncacheable(UNCACHEABLE);
      }
      return loaded(flow.toStored(route, r), r);
    });
  }

  private static <T> T nonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("the cache returned no value");
    }
    return value;
  }
}
