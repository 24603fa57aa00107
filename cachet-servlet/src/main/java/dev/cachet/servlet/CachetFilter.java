package dev.cachet.servlet;

import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheResult;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.Origin;
import dev.cachet.http.OriginResponse;
import dev.cachet.http.internal.QueryNormalizer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Caches responses of the routes its {@link RouteResolver} names, by the rules of
 * {@link HttpCache}: reads are served from the cache or run the rest of the chain once for
 * concurrent misses; successful writes invalidate what they changed once their status is final
 * and before the client sees it (when the handler returned; for a body over the cap, as it starts
 * to pass through; for an asynchronous write, as its body starts or when it completes).
 * Requests without a route pass untouched. A response that {@link Builder#handlerFailed} says a
 * failed handler's exception handling wrote is neither stored nor shared, whatever its status.
 *
 * <p>Install it after every filter that authenticates, authorises or rate-limits requests: a
 * request answered from the cache does not go through the filters after this one, nor the
 * handler; and before filters that write or compress the body. Checks that run with the handler
 * (a framework's interceptors) can be run on cached answers by a {@link HitGuard} in the
 * {@link Route}. Register it for the {@code REQUEST} dispatch, and for {@code ASYNC} dispatches
 * too when {@link Builder#asyncReads} says that asynchronous reads are finished there (other
 * dispatches pass untouched).
 * Thread-safe; one instance serves every request.
 *
 * <pre>{@code
 * HttpCache http = HttpCache.builder(Cachet.builder().build()).build();
 * context.addFilter(new FilterHolder(CachetFilter.builder(http).routes(routes).build()), "/*", ...);
 * }</pre>
 */
public final class CachetFilter implements Filter {
  final HttpCache cache;
  private final RouteResolver routes;
  private final Function<HttpServletRequest, @Nullable String> identity;
  final RequestListener listener;
  private final WriteListener writeListener;
  final Predicate<HttpServletRequest> handlerFailed;
  final Predicate<HttpServletRequest> asyncReads;
  /** Whether asynchronous reads are finished in ASYNC dispatches, so that reads may wait there. */
  private final boolean asyncDispatches;
  /** Which query parameters keys ignore, and so a cached read's handler never sees. */
  final QueryNormalizer queryKeys;

  private CachetFilter(Builder b) {
    this.cache = b.cache;
    this.routes = Objects.requireNonNull(b.routes, "routes are required");
    this.identity = b.identity;
    this.listener = b.listener;
    this.writeListener = b.writeListener;
    this.handlerFailed = b.handlerFailed;
    this.asyncReads = b.asyncReads;
    this.asyncDispatches = b.asyncReadsSet;
    this.queryKeys = new QueryNormalizer(cache.config().ignoredParameters());
  }

  /**
   * Whether {@code request}'s read may wait for another's without its thread ({@link CachedRead}):
   * this filter finishes reads in {@code ASYNC} dispatches, and the request may go asynchronous.
   */
  boolean resumable(HttpServletRequest request) {
    return asyncDispatches && request.isAsyncSupported();
  }

  /** A builder over {@code cache}; {@link Builder#routes} is required. */
  public static Builder builder(HttpCache cache) {
    return new Builder(Objects.requireNonNull(cache, "cache"));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      LaterRead later = request.getDispatcherType() == DispatcherType.ASYNC ? LaterRead.of(request) : null;
      if (later != null) {
        continueLater(request, response, chain, later);
      } else if (request.getDispatcherType() != DispatcherType.ASYNC || !CachedRead.resume(request, response, chain)) {
        chain.doFilter(req, res); // handled, if at all, by its REQUEST dispatch
      }
      return;
    }
    Route route = routes.resolve(request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    long start = System.nanoTime();
    ServletRequestView view = new ServletRequestView(request, identity, route.pathVariables());
    if (route.read() != null && isRead(request.getMethod())) {
      new CachedRead(this, request, response, chain, route.name(), route.hitGuard(), start)
          .serve(view, route.read());
      return;
    }
    // The handler of this request used sendError: replayed on the real response, so the
    // container still renders its error page.
    CapturingResponse[] errored = new CapturingResponse[1];
    AtomicBoolean told = new AtomicBoolean(); // the write listener, once
    boolean[] asyncWrite = new boolean[1];
    Origin origin = forward -> {
      // A write whose body passes through (over the cap) has its final status then: it
      // invalidates before the first byte leaves, not after the client has its answer.
      ObjIntConsumer<HttpHeaders> beforeSend = (headers, status) -> {
        forward.complete(status, headers);
        if (told.compareAndSet(false, true)) {
          writeListener.afterWrite(request, status);
        }
      };
      CapturingResponse capturing = new CapturingResponse(response, forward, beforeSend, () -> false);
      List<String> cookiesBefore = List.copyOf(response.getHeaders("Set-Cookie"));
      chain.doFilter(request, capturing);
      if (setsSession(request, response, cookiesBefore) || handlerFailed.test(request)) {
        capturing.refuseStorage(); // never stored: only what its status says matters here
      }
      if (request.isAsyncStarted()) {
        // The body is written later, by another thread, straight through; a write's status is
        // final only then, so it invalidates then (or when the request completes), not now.
        forward.completeLater();
        asyncWrite[0] = true;
        request.getAsyncContext().addListener(new Completion(response, beforeSend));
        capturing.passThroughLater();
      }
      OriginResponse produced = capturing.finish();
      errored[0] = errored(capturing, produced);
      return produced;
    };
    HttpCacheResult result;
    try {
      result = cache.handleWrite(view, route.write(), origin);
      if (!asyncWrite[0] && told.compareAndSet(false, true)) {
        writeListener.afterWrite(request, result.status());
      }
    } catch (IOException | ServletException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e);
    }
    Answers.write(result, response, errored[0]);
    listener.onRequest(route.name(), result.xCache(), System.nanoTime() - start);
  }

  /**
   * Continues a read whose handler went asynchronous ({@link LaterRead}) in a later dispatch:
   * once it ends without starting another, the captured response is complete, goes to the
   * cache, and what the cache answers is written to the client. A failure of the dispatch fails
   * the read (nothing stored) and is rethrown, for the container's error handling.
   */
  private void continueLater(
      HttpServletRequest request, HttpServletResponse dispatched, FilterChain chain, LaterRead later)
      throws IOException, ServletException {
    later.request().watch(true); // the handler's dispatch: its reads of the language count
    try {
      chain.doFilter(request, dispatched);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      request.removeAttribute(LaterRead.ATTRIBUTE);
      later.fail(e);
      CompletableFuture<HttpCacheResult> answered = later.resultIfHanded();
      if (!(e instanceof Error) && answered != null && answered.isDone() && !answered.isCompletedExceptionally()
          && !later.response().isCommitted()) {
        // Stale-if-error served the stored response: this request gets it, as its waiters do.
        later.response().resetBuffer();
        HttpCacheResult stale = answered.join();
        Answers.write(stale, later.response(), null);
        listener.onRequest(later.route(), stale.xCache(), System.nanoTime() - later.start());
        return;
      }
      throw e;
    } finally {
      later.request().watch(false);
    }
    if (later.settled()) {
      request.removeAttribute(LaterRead.ATTRIBUTE);
      return; // the request broke meanwhile: nobody waits for this answer
    }
    CapturingResponse capturing = later.capturing();
    if (request.isAsyncStarted() && asyncReads.test(request)) {
      return; // one more round: its next dispatch continues
    }
    request.removeAttribute(LaterRead.ATTRIBUTE);
    if (request.isAsyncStarted()) {
      capturing.passThroughLater(); // it streams from here: its body goes straight to the client
    } else if (setsSession(request, later.response(), later.cookiesBefore()) || handlerFailed.test(request)) {
      capturing.refuseStorage();
    }
    OriginResponse produced = capturing.finish();
    later.answer().complete(produced);
    HttpCacheResult result = Answers.resultOf(later.result());
    Answers.write(result, later.response(), errored(capturing, produced));
    listener.onRequest(later.route(), result.xCache(), System.nanoTime() - later.start());
  }

  /** {@code capturing} when its handler used {@code sendError} and nothing was sent yet, else {@code null}. */
  static @Nullable CapturingResponse errored(CapturingResponse capturing, OriginResponse produced) {
    return capturing.sentError() && !produced.passedThrough() ? capturing : null;
  }

  /**
   * Whether the handler gave this client a session: the container added a cookie to its own
   * response (Tomcat's session cookie goes there, past the capture), or a session was created,
   * whose id {@code encodeURL} may have written into the body.
   */
  static boolean setsSession(
      HttpServletRequest request, HttpServletResponse response, List<String> cookiesBefore) {
    if (!List.copyOf(response.getHeaders("Set-Cookie")).equals(cookiesBefore)) {
      return true;
    }
    try {
      HttpSession session = request.getSession(false);
      return session != null && session.isNew();
    } catch (IllegalStateException invalidated) {
      return true; // the handler invalidated the session: not a response to share either
    }
  }

  private static boolean isRead(String method) {
    return method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD");
  }

  /**
   * Tells an asynchronous write's final status when its request completes, in case its body
   * never started (no body, or written past the capture): nothing happens if it did.
   */
  private record Completion(HttpServletResponse response, ObjIntConsumer<HttpHeaders> beforeSend)
      implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      HttpHeaders.Builder named = HttpHeaders.builder(); // what a write's invalidation reads
      for (String name : List.of("Location", "Content-Location")) {
        String value = response.getHeader(name);
        if (value != null) {
          named.add(name, value);
        }
      }
      beforeSend.accept(named.build(), response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this); // a handler that starts async again
    }
  }

  /** Builds a {@link CachetFilter}. Each setter once. Not thread-safe. */
  public static final class Builder {
    private final HttpCache cache;
    private @Nullable RouteResolver routes;
    private Function<HttpServletRequest, @Nullable String> identity = CachetFilter::principalName;
    private RequestListener listener = (route, result, nanos) -> {};
    private WriteListener writeListener = (request, status) -> {};
    private Predicate<HttpServletRequest> handlerFailed = request -> false;
    private Predicate<HttpServletRequest> asyncReads = request -> false;
    private boolean identitySet;
    private boolean listenerSet;
    private boolean writeListenerSet;
    private boolean handlerFailedSet;
    private boolean asyncReadsSet;

    private Builder(HttpCache cache) {
      this.cache = cache;
    }

    /** Which requests are cached and how; required. */
    public Builder routes(RouteResolver routes) {
      if (this.routes != null) {
        throw new IllegalStateException("routes were already set");
      }
      this.routes = Objects.requireNonNull(routes, "routes");
      return this;
    }

    /**
     * The caller's stable identity for routes that vary by principal; default the name of
     * {@link HttpServletRequest#getUserPrincipal()}. Return {@code null} for anonymous callers.
     */
    public Builder identity(Function<HttpServletRequest, @Nullable String> identity) {
      if (identitySet) {
        throw new IllegalStateException("identity was already set");
      }
      identitySet = true;
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Told the outcome of every routed request (for metrics). */
    public Builder listener(RequestListener listener) {
      if (listenerSet) {
        throw new IllegalStateException("listener was already set");
      }
      listenerSet = true;
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Told after each write's handler returned, before its response is sent. */
    public Builder writeListener(WriteListener writeListener) {
      if (writeListenerSet) {
        throw new IllegalStateException("writeListener was already set");
      }
      writeListenerSet = true;
      this.writeListener = Objects.requireNonNull(writeListener, "writeListener");
      return this;
    }

    /**
     * Tells, after the chain ran, whether the handler failed although its response may look
     * successful, because a framework's exception handling wrote it (an error body with status
     * 200, say). Such a response is neither stored nor shared. Default: never.
     */
    public Builder handlerFailed(Predicate<HttpServletRequest> handlerFailed) {
      if (handlerFailedSet) {
        throw new IllegalStateException("handlerFailed was already set");
      }
      handlerFailedSet = true;
      this.handlerFailed = Objects.requireNonNull(handlerFailed, "handlerFailed");
      return this;
    }

    /**
     * Tells, when the handler of a cached read has gone asynchronous, whether the rest of its
     * response will be written in a later {@code ASYNC} dispatch of the request (a framework
     * dispatches once the handler's result is there) rather than streamed from another thread,
     * and to the response the handler was given (the request went asynchronous with
     * {@code startAsync(request, response)}, as Spring MVC does), so that the filter captures it.
     * Such a response is captured whole and stored like a synchronous one, and concurrent misses
     * of its key wait for it; this filter must then be registered for {@code ASYNC} dispatches
     * too, where it finishes the response. Asked again after each such dispatch that starts
     * another. Default: never, and an asynchronous response passes straight through, unstored.
     *
     * <p>Once set, a read of a request that supports asynchronous processing waits for a
     * concurrent miss whose handler answered later without its thread: the request goes
     * asynchronous and is dispatched again ({@code ASYNC}) when its answer is there, which this
     * filter then writes. Should it have to run its own handler after all (the shared response
     * may not be shared, or the wait outlasted the cache's {@code maxWait}), it runs it in that
     * dispatch, with a request that says it is in its {@code REQUEST} dispatch for as long as
     * the handler runs; filters after this one registered for {@code REQUEST} dispatches alone
     * do not run for it then.
     */
    public Builder asyncReads(Predicate<HttpServletRequest> asyncReads) {
      if (asyncReadsSet) {
        throw new IllegalStateException("asyncReads was already set");
      }
      asyncReadsSet = true;
      this.asyncReads = Objects.requireNonNull(asyncReads, "asyncReads");
      return this;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalStateException when no routes were set
     */
    public CachetFilter build() {
      if (routes == null) {
        throw new IllegalStateException("routes are required: set them with routes(...)");
      }
      return new CachetFilter(this);
    }
  }

  private static @Nullable String principalName(HttpServletRequest request) {
    Principal p = request.getUserPrincipal();
    return p == null ? null : p.getName();
  }
}
