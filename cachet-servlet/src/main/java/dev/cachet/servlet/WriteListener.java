package dev.cachet.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told once per write, when its status is final and before its response reaches the client:
 * when the handler returned, or earlier when its body is too large to buffer and starts to pass
 * through; for an asynchronous write, as its body starts or (no body) when it completes, on the
 * thread doing that. Where a framework applies invalidations that only it can compute (from method
 * arguments). Thread-safe.
 */
@FunctionalInterface
public interface WriteListener {
  /**
   * @param request the write
   * @param status the status the handler produced; act only where {@link dev.cachet.http.Invalidator#succeeded} ({@code 2xx}, {@code 3xx})
   */
  void afterWrite(HttpServletRequest request, int status);
}
