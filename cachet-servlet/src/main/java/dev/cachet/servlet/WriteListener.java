package dev.cachet.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told when a write's handler has returned, before its response is sent: where a framework
 * applies invalidations that only it can compute (from method arguments). Thread-safe.
 */
@FunctionalInterface
public interface WriteListener {
  /**
   * @param request the write
   * @param status the status the handler produced; act only on {@code 2xx}
   */
  void afterWrite(HttpServletRequest request, int status);
}
