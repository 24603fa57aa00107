package dev.cachet.redis;

import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until a store's near cache tracks keys: until then no invalidation push can reach it, so
 * a test of its coherence starts once it does. A store's first read turns tracking on.
 */
final class NearCacheTracking {
  private NearCacheTracking() {}

  /**
   * Returns {@code store} once its near cache tracks, within {@code bound}; closes it when it
   * does not, so that a failed start does not leave its reconnects running for the whole JVM.
   */
  static RedisStore awaited(RedisStore store, Duration bound) {
    return awaited(store, bound, "client tracking on", () -> store.nearCache().tracking());
  }

  /**
   * On a cluster: returns {@code store} once its near cache tracks on every master and each
   * one's slots are verified, within {@code bound}.
   */
  static RedisStore awaitedOnEveryMaster(RedisStore store, Duration bound) {
    return awaited(store, bound, "client tracking on every master, and each one's slots verified",
        () -> store.nearCache().tracking() && store.nearCache().servable());
  }

  private static RedisStore awaited(
      RedisStore store, Duration bound, String what, BooleanSupplier done) {
    try {
      Poll.until(bound, what, () -> {
        try {
          store.get("warm-up"); // turns tracking on; on a busy machine it may time out: try again
        } catch (RuntimeException e) {
          return false;
        }
        return done.getAsBoolean();
      });
      return store;
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }
}
