package dev.cachet.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes whose handler was seen answering later ({@link OriginResponse#later}, or going
 * asynchronous in a refresh that could not wait for it): their stale entries are refreshed by a
 * request of their own, in the foreground ({@link dev.cachet.StaleRefresh#FOREGROUND}), since a
 * background refresh would run the handler for a response it cannot capture.
 *
 * <p>Learned for the life of the process, as {@link LearnedVary} is: a handler that answers
 * later on one request usually does on every one, and one that answers at once on some is
 * refreshed correctly in the foreground too. Bounded: past {@value #MAX} routes the memo starts
 * over. Thread-safe.
 */
final class LaterRoutes {
  static final int MAX = 10_000;

  private final Set<RouteIdentity> routes = ConcurrentHashMap.newKeySet();

  /** Whether {@code route}'s handler was seen answering later. */
  boolean answersLater(RoutePolicy route) {
    return !routes.isEmpty() && routes.contains(new RouteIdentity(route));
  }

  /** {@code route}'s handler answered later. */
  void learn(RoutePolicy route) {
    RouteIdentity key = new RouteIdentity(route);
    if (routes.contains(key)) {
      return;
    }
    if (routes.size() >= MAX) {
      routes.clear(); // many routes: a plain bound beats an eviction policy here
    }
    routes.add(key);
  }
}
