package dev.cachet.servlet;

import dev.cachet.http.Forward;
import dev.cachet.http.HttpCacheResult;
import dev.cachet.http.Origin;
import dev.cachet.http.OriginResponse;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One cached read of a request, across its dispatches: the {@link Origin} that runs the rest of
 * the filter chain for it in whichever dispatch runs it, and the request's wait, without a thread,
 * for a concurrent load of its key whose handler answers later.
 *
 * <p>Why: a request waiting on its own thread for a load that a later dispatch finishes holds a
 * thread of the pool that dispatch needs; a herd of misses larger than the pool would stall it
 * until the waits time out, and then each would run its handler. So when {@link CachetFilter}'s
 * {@code asyncReads} are on and the request supports asynchronous processing, the cache may leave
 * such a request waiting ({@link dev.cachet.http.HttpCache#handleReadAsync(dev.cachet.http.HttpRequestView,
 * RoutePolicy, Origin, Executor)}): its thread returns to the container, the request goes
 * asynchronous, and it is dispatched again ({@code ASYNC}) once its answer is there, or once it
 * must run its own handler ({@link #execute}), which it then does in that dispatch. The answer is
 * written in that dispatch, on a container thread, as in a synchronous one.
 *
 * <p>Thread-safe: the wait's state is guarded by this object's monitor (a few fields; nothing
 * blocks inside); the request, response and chain are those of the dispatch that runs the read,
 * which the container orders after the one before.
 */
final class CachedRead implements Origin, Executor, AsyncListener {
  static final String ATTRIBUTE = CachedRead.class.getName();

  private enum State {
    /** A dispatch runs the read. */
    RUNNING,
    /** Asynchronous, no thread: waiting for its answer or a task. */
    WAITING,
    /** A dispatch to continue it was asked for. */
    DISPATCHED,
    /** Answered, handed to {@link LaterRead}, or the request ended: nothing more runs here. */
    ENDED
  }

  private final CachetFilter filter;
  private final String route;
  private final @Nullable HitGuard guard;
  private final long start;
  /** Whether this request's own handler ran for its answer (its interceptors with it). */
  private volatile boolean handlerRan;
  private volatile HttpServletRequest request;
  private volatile HttpServletResponse response;
  private volatile FilterChain chain;
  private volatile @Nullable CapturingResponse errored;
  private volatile @Nullable LaterRead later;
  private volatile @Nullable CompletableFuture<HttpCacheResult> answer;
  /** Whether the running dispatch is the {@code ASYNC} one that resumed the read. */
  private volatile boolean resumed;
  private State state = State.RUNNING;
  private @Nullable Runnable pending;
  private @Nullable AsyncContext async;
  private boolean watching;

  CachedRead(CachetFilter filter, HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      String route, @Nullable HitGuard guard, long start) {
    this.filter = filter;
    this.guard = guard;
    this.request = request;
    this.response = response;
    this.chain = chain;
    this.route = route;
    this.start = start;
  }

  /** Serves the read from its {@code REQUEST} dispatch. */
  void serve(ServletRequestView view, RoutePolicy policy) throws IOException, ServletException {
    answer = filter.resumable(request)
        ? filter.cache.handleReadAsync(view, policy, this, this)
        : filter.cache.handleReadAsync(view, policy, this);
    settle();
  }

  /**
   * Continues, in the {@code ASYNC} dispatch it asked for, the read of {@code request} that
   * waited without its thread.
   *
   * @return whether the request had such a read (otherwise the dispatch is not this class's to
   *     handle)
   */
  static boolean resume(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request.getAttribute(ATTRIBUTE) instanceof CachedRead read)) {
      return false;
    }
    request.removeAttribute(ATTRIBUTE);
    synchronized (read) {
      if (read.state != State.DISPATCHED) {
        return true; // it ended (timed out, broke) meanwhile: nothing is left to write
      }
      read.state = State.RUNNING;
    }
    read.request = request;
    read.response = response;
    read.chain = chain;
    read.resumed = true;
    read.settle();
    return true;
  }

  /**
   * Takes the read as far as this dispatch can: runs a task handed to it, writes the answer
   * once there, hands it to the {@link LaterRead} that finishes it when the handler answers later,
   * or else leaves the request waiting without this thread.
   */
  private void settle() throws IOException, ServletException {
    CompletableFuture<HttpCacheResult> a = answer;
    boolean waiting = false;
    try {
      while (true) {
        Runnable task = takePending();
        if (task != null) {
          task.run(); // the cache's: it runs the handler here, through proceed
          continue;
        }
        if (a.isDone()) {
          finish(Answers.resultOf(a));
          return;
        }
        LaterRead handedTo = later;
        if (handedTo != null) {
          handedTo.awaitResult(a, route, start); // finished by the request's last ASYNC dispatch
          return;
        }
        waiting = await(a);
        if (waiting) {
          return;
        }
      }
    } finally {
      if (!waiting) {
        synchronized (this) {
          state = State.ENDED;
        }
      }
    }
  }

  private synchronized @Nullable Runnable takePending() {
    Runnable task = pending;
    pending = null;
    return task;
  }

  /**
   * Makes the request asynchronous and lets this thread go; it is dispatched again when
   * {@code a} completes or a task arrives.
   *
   * @return {@code false} when a task arrived meanwhile, for this thread to run
   */
  private boolean await(CompletableFuture<HttpCacheResult> a) {
    synchronized (this) {
      if (pending != null) {
        return false;
      }
    }
    AsyncContext context = request.startAsync(request, response);
    // The wait is bounded by the cache's maxWait, after which the request is dispatched to run its
    // own handler; the container's own timeout (30 s by default) would end it first, with an
    // error page, wherever maxWait is longer.
    context.setTimeout(0);
    context.addListener(this);
    request.setAttribute(ATTRIBUTE, this);
    boolean dispatchNow;
    boolean watch;
    synchronized (this) {
      async = context;
      dispatchNow = pending != null || a.isDone();
      state = dispatchNow ? State.DISPATCHED : State.WAITING;
      watch = !watching;
      watching = true;
    }
    if (dispatchNow) {
      dispatch(context);
    } else if (watch) {
      a.whenComplete((result, failure) -> wake());
    }
    return true;
  }

  /** The answer is there: a waiting request is dispatched to write it. */
  private void wake() {
    AsyncContext context;
    synchronized (this) {
      if (state != State.WAITING) {
        return;
      }
      state = State.DISPATCHED;
      context = async;
    }
    dispatch(context);
  }

  /**
   * Runs {@code task} (the cache's: the request runs its own handler) in this request's running
   * dispatch, or in one it asks for when it waits.
   *
   * @throws RejectedExecutionException when the request ended, or a task already waits
   */
  @Override
  public void execute(Runnable task) {
    AsyncContext context = null;
    synchronized (this) {
      if (state == State.ENDED) {
        throw new RejectedExecutionException("the request was answered or ended");
      }
      if (pending != null) {
        throw new RejectedExecutionException("a task already waits for this request");
      }
      pending = task;
      if (state == State.WAITING) {
        state = State.DISPATCHED;
        context = async;
      }
    }
    if (context != null) {
      dispatch(context);
    }
  }

  private void dispatch(@Nullable AsyncContext context) {
    try {
      if (context != null) {
        context.dispatch();
      }
    } catch (IllegalStateException ended) {
      synchronized (this) {
        state = State.ENDED; // the request completed or timed out meanwhile
      }
    }
  }

  private void finish(HttpCacheResult result) throws IOException, ServletException {
    HitGuard.Admission admitted = null;
    if (guard != null && !handlerRan) {
      try {
        admitted = guard.admit(request, response);
      } catch (Exception e) {
        if (response.isCommitted()) {
          if (e instanceof IOException io) {
            throw io;
          }
          throw new ServletException(e);
        }
        chain.doFilter(request, response); // as if uncached: the framework handles the failure
        return;
      }
      if (admitted == null) {
        return; // a check refused it and answered it itself
      }
    }
    try {
      Answers.write(result, response, errored);
    } catch (IOException | RuntimeException e) {
      if (admitted != null) {
        admitted.completed(e);
      }
      throw e;
    }
    if (admitted != null) {
      admitted.completed(null);
    }
    filter.listener.onRequest(route, result.xCache(), System.nanoTime() - start);
    if (result.needsRevalidation()) {
      result.revalidate(this);
    }
  }

  /**
   * Runs the rest of the chain for this read in the running dispatch. In the {@code ASYNC}
   * dispatch that resumed it, the handler is given a {@link ResumedRequest}: it runs as in the
   * request's first dispatch, which it would have run in had the request not waited (filters
   * after this one that are registered for {@code REQUEST} dispatches alone still do not run).
   */
  @Override
  public OriginResponse proceed(Forward forward) throws Exception {
    if (forward.mode() != Forward.Mode.DETACHED) {
      handlerRan = true;
    }
    ResumedRequest resumedView = resumed ? new ResumedRequest(request) : null;
    // What the key ignores (utm_* ...) must not shape a response stored for all its requests,
    // and a response that may be stored must be the full one, whatever this client holds.
    CaptureRequest req = new CaptureRequest(
        KeyedParametersOnly.of(resumedView != null ? resumedView : request, filter.queryKeys), forward);
    HttpServletResponse res = response;
    CapturingResponse capturing = new CapturingResponse(res, forward, (headers, status) -> {}, req::readLanguage);
    List<String> cookiesBefore = List.copyOf(res.getHeaders("Set-Cookie"));
    req.watch(true);
    try {
      chain.doFilter(req, capturing);
    } finally {
      req.watch(false);
      if (resumedView != null) {
        resumedView.ended();
      }
    }
    if (CachetFilter.setsSession(req, res, cookiesBefore) || filter.handlerFailed.test(req)) {
      // Its cookie and session id are this client's alone; an error answer, even one an
      // exception handler gave status 200, is not for later callers.
      capturing.refuseStorage();
    }
    if (req.isAsyncStarted()) {
      if (forward.acceptsLater() && filter.asyncReads.test(req)) {
        // Its whole response is written in a later dispatch, which the filter finishes.
        LaterRead handedTo = new LaterRead(req, capturing, res, cookiesBefore);
        req.setAttribute(LaterRead.ATTRIBUTE, handedTo);
        req.getAsyncContext().addListener(handedTo);
        later = handedTo;
        return OriginResponse.later(handedTo.answer());
      }
      capturing.passThroughLater(); // written later, by another thread, straight through
    }
    OriginResponse produced = capturing.finish();
    errored = CachetFilter.errored(capturing, produced);
    return produced;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end(); // the container answers it
  }

  @Override
  public void onError(AsyncEvent event) {
    end();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Started again by its own handler, in a dispatch that no longer waits: nothing to follow.
  }

  /** The request ended while waiting: a late answer or task finds it ended. */
  private synchronized void end() {
    if (state == State.WAITING) {
      state = State.ENDED;
    }
  }
}
