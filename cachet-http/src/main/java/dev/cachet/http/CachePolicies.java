package dev.cachet.http;

import dev.cachet.CachePolicy;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The core policies of routes' entries, built once per route and tag list instead of on every
 * request (a hit needs one, and building it allocates sets and builders). Bounded: past
 * {@value #MAX} distinct pairs the memo starts over. Thread-safe.
 */
final class CachePolicies {
  static final int MAX = 10_000;

  /** A route by identity (routes are built once per handler), its tags by value. */
  private record Key(RoutePolicy route, List<String> tags) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key k && k.route == route && k.tags.equals(tags);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(route) * 31 + tags.hashCode();
    }
  }

  private final ConcurrentHashMap<Key, CachePolicy> memo = new ConcurrentHashMap<>();

  CachePolicy of(RoutePolicy route, List<String> tags) {
    Key key = new Key(route, tags);
    CachePolicy policy = memo.get(key);
    if (policy == null) {
      policy = route.cachePolicy(tags);
      if (memo.size() >= MAX) {
        memo.clear(); // many distinct paths: a plain bound beats an eviction policy here
      }
      memo.put(key, policy);
    }
    return policy;
  }
}
