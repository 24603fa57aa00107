package dev.cachet.servlet;

import dev.cachet.http.XCache;

/** Told how each request the filter handled went: for metrics. Must be fast and thread-safe. */
@FunctionalInterface
public interface RequestListener {
  /**
   * @param route the route's {@link Route#name()}
   * @param result how the cache handled it
   * @param nanos time spent in the filter, handler included
   */
  void onRequest(String route, XCache result, long nanos);
}
