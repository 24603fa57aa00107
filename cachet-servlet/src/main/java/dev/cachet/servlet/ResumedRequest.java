package dev.cachet.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request a handler is given when it runs in the {@code ASYNC} dispatch that resumed a read
 * which had waited without its thread ({@link CachedRead}): while that run lasts, the request
 * says it is in its {@code REQUEST} dispatch, as it would have been had the request not waited,
 * so that the handler and the filters after this one (Spring's {@code OncePerRequestFilter}s
 * skip {@code ASYNC} dispatches) treat it as the first handling it is. Afterwards (in a later
 * dispatch of the handler's own asynchronous processing, say) it tells the truth.
 *
 * <p>Thread-safe.
 */
final class ResumedRequest extends HttpServletRequestWrapper {
  private volatile boolean running = true;

  ResumedRequest(HttpServletRequest request) {
    super(request);
  }

  @Override
  public DispatcherType getDispatcherType() {
    return running ? DispatcherType.REQUEST : super.getDispatcherType();
  }

  /** The run in the resuming dispatch is over. */
  void ended() {
    running = false;
  }
}
