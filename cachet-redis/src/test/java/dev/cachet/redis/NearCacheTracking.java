package dev.cachet.redis;

import dev.cachet.testing.Poll;
import java.time.Duration;

/**
 * Waits until a store's near cache tracks keys: until then no invalidation push can reach it, so
 * a test of its coherence starts once it does. A store's first read turns tracking on.
 */
final class NearCacheTracking {
  private NearCacheTracking() {}

  /** Returns {@code store} once its near cache tracks, within {@code bound}. */
  static RedisStore awaited(RedisStore store, Duration bound) {
    Poll.until(bound, "client tracking on", () -> {
      store.get("warm-up");
      return store.nearCache().tracking();
    });
    return store;
  }

  /**
   * On a cluster: returns {@code store} once its near cache tracks on every master and each
   * one's slots are verified, within {@code bound}.
   */
  static RedisStore awaitedOnEveryMaster(RedisStore store, Duration bound) {
    Poll.until(bound, "client tracking on every master, and each one's slots verified", () -> {
      store.get("warm-up");
      return store.nearCache().tracking() && store.nearCache().servable();
    });
    return store;
  }
}
