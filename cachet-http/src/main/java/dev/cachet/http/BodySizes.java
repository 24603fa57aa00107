package dev.cachet.http;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The size of the body each route's handler last produced, which the next capture of that route
 * presizes its first array for ({@link BodyCapture}): a body that fits is then stored without a
 * copy. A route's bodies usually keep their size from one request to the next; when they do not,
 * the capture falls back to plain chunks and one copy, and the size learned is the new one.
 * Bounded: past {@value #MAX} routes the memo starts over. Thread-safe.
 */
final class BodySizes {
  static final int MAX = 10_000;

  /** A route by identity: built once per handler; equal policies may serve different handlers. */
  private record Route(RoutePolicy policy) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Route r && r.policy == policy;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(policy);
    }
  }

  /** The last size; races between requests of one route only change which size is kept. */
  private static final class Last {
    volatile int bytes;
  }

  private final ConcurrentHashMap<Route, Last> sizes = new ConcurrentHashMap<>();

  /** The body size last seen for {@code route}, or 0 when none was. */
  int expected(RoutePolicy route) {
    Last last = sizes.get(new Route(route));
    return last == null ? 0 : last.bytes;
  }

  /** Records a body {@code route}'s handler produced, of {@code bytes} bytes. */
  void seen(RoutePolicy route, int bytes) {
    Route key = new Route(route);
    Last last = sizes.get(key);
    if (last == null) {
      if (sizes.size() >= MAX) {
        sizes.clear(); // many routes: a plain bound beats an eviction policy here
      }
      last = sizes.computeIfAbsent(key, k -> new Last());
    }
    if (last.bytes != bytes) {
      last.bytes = bytes; // written only when it changes: steady routes keep the line shared
    }
  }
}
