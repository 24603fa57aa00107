package dev.cachet.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The size of the body each route's handler last produced, which the next capture of that route
 * presizes its first array for ({@link BodyCapture}): a body that fits is then stored without a
 * copy. A route's bodies usually keep their size from one request to the next; when they do not,
 * the capture falls back to plain chunks and one copy, and the size learned is the new one.
 * Bounded: past {@value #MAX} routes the memo starts over. Thread-safe.
 */
final class BodySizes {
  static final int MAX = 10_000;

  /** The last size; races between requests of one route only change which size is kept. */
  private static final class Last {
    volatile int bytes;
  }

  private final ConcurrentHashMap<RouteIdentity, Last> sizes = new ConcurrentHashMap<>();

  /** The body size last seen for {@code route}, or 0 when none was. */
  int expected(RoutePolicy route) {
    Last last = sizes.get(new RouteIdentity(route));
    return last == null ? 0 : last.bytes;
  }

  /** Records a body {@code route}'s handler produced, of {@code bytes} bytes. */
  void seen(RoutePolicy route, int bytes) {
    RouteIdentity key = new RouteIdentity(route);
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
