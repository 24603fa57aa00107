package dev.cachet.servlet;

import dev.cachet.http.HttpCacheResult;
import dev.cachet.http.OriginResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A cached read whose handler went asynchronous while its whole response is still captured: the
 * response is complete at the end of the request's last {@code ASYNC} dispatch, which
 * {@link CachetFilter} sees too, and is written to the client from there. Kept in a request
 * attribute between the dispatches. Listens to the request so that a request that ends without
 * that dispatch (a time-out nobody answered, a broken connection) settles the answer, unstored,
 * and the cache stops waiting for it.
 *
 * <p>Each field is written by the dispatch that creates it, before the container starts the next
 * one, which reads it: the container orders them.
 */
final class LaterRead implements AsyncListener {
  static final String ATTRIBUTE = LaterRead.class.getName();

  private final CaptureRequest request;
  private final CapturingResponse capturing;
  private final HttpServletResponse response;
  private final List<String> cookiesBefore;
  private final CompletableFuture<OriginResponse> answer = new CompletableFuture<>();
  private volatile @Nullable CompletableFuture<HttpCacheResult> result;
  private volatile @Nullable String route;
  private volatile long start;

  /**
   * @param request the request the handler was given
   * @param response the client's response, which the capture holds back
   * @param cookiesBefore its {@code Set-Cookie} headers before the handler ran
   */
  LaterRead(CaptureRequest request, CapturingResponse capturing, HttpServletResponse response,
      List<String> cookiesBefore) {
    this.request = request;
    this.capturing = capturing;
    this.response = response;
    this.cookiesBefore = cookiesBefore;
  }

  /** The handler's response, once complete; what the origin answers later. */
  CompletableFuture<OriginResponse> answer() {
    return answer;
  }

  /** Remembers what the cache answers for the request, to write it at the end. */
  void awaitResult(CompletableFuture<HttpCacheResult> result, String route, long start) {
    this.result = result;
    this.route = route;
    this.start = start;
  }

  /** The request the handler was given, which counts its reads of the language. */
  CaptureRequest request() {
    return request;
  }

  CapturingResponse capturing() {
    return capturing;
  }

  HttpServletResponse response() {
    return response;
  }

  List<String> cookiesBefore() {
    return cookiesBefore;
  }

  /** What the cache answered, once {@link #answer} completed; see {@link #awaitResult}. */
  CompletableFuture<HttpCacheResult> result() {
    CompletableFuture<HttpCacheResult> r = result;
    if (r == null) {
      throw new IllegalStateException("the request's first dispatch did not hand over its result");
    }
    return r;
  }

  /** What the cache answered, or {@code null} when the first dispatch handed over nothing. */
  @Nullable CompletableFuture<HttpCacheResult> resultIfHanded() {
    return result;
  }

  String route() {
    return route == null ? "" : route;
  }

  long start() {
    return start;
  }

  /** The handler failed, or the request ended without its response: nothing is stored. */
  void fail(Throwable failure) {
    answer.completeExceptionally(failure);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    abandon();
  }

  @Override
  public void onError(AsyncEvent event) {
    abandon();
  }

  /**
   * The request ended, or broke (the client went away), before its last dispatch finished the
   * response: what was captured is this request's alone, never stored, so that requests waiting
   * for it run their own handler rather than fail.
   */
  private void abandon() {
    if (answer.isDone()) {
      return;
    }
    try {
      capturing.refuseStorage();
      answer.complete(capturing.finish());
    } catch (IOException | RuntimeException e) {
      answer.completeExceptionally(e);
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The framework's own listener answers a time-out, in a dispatch this filter finishes.
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    event.getAsyncContext().addListener(this); // a handler that starts async again
  }

  /** Whether the answer is settled (finished, failed): nothing is left to wait for. */
  boolean settled() {
    return answer.isDone();
  }

  /** Request helpers kept here for {@link CachetFilter}: which later read a dispatch continues. */
  static @Nullable LaterRead of(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof LaterRead later ? later : null;
  }
}
