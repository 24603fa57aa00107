package dev.cachet.redis;

import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Waits until a store's near cache tracks keys: until then no invalidation push can reach it, so
 * a test of its coherence starts once it does. A store's first read turns tracking on, for the key
 * prefixes it knows: the test names those its keys will use, since a prefix first met later
 * restarts tracking (the copy is then not served until the server acknowledges it).
 */
final class NearCacheTracking {
  private NearCacheTracking() {}

  /**
   * Returns {@code store} once its near cache tracks, within {@code bound}; closes it when it
   * does not, so that a failed start does not leave its reconnects running for the whole JVM.
   */
  static RedisStore awaited(RedisStore store, Duration bound, String... prefixes) {
    return awaited(store, bound, prefixes, "client tracking on", () -> store.nearCache().tracking());
  }

  /**
   * On a cluster: returns {@code store} once its near cache tracks on every master and each
   * one's slots are verified, within {@code bound}.
   */
  static RedisStore awaitedOnEveryMaster(RedisStore store, Duration bound, String... prefixes) {
    return awaited(store, bound, prefixes, "client tracking on every master, and each one's slots verified",
        () -> store.nearCache().tracking() && store.nearCache().servable());
  }

  /**
   * Reads the entries under {@code keys} until the copy holds each. A read that follows a write
   * closely, by this instance or another, may not fill the copy: the server pushes the write's
   * invalidation after its reply, and a push that arrives while the read is in flight drops the
   * read's reservation.
   */
  static void readUntilCached(RedisStore store, List<String> keys) {
    Poll.until(Duration.ofSeconds(5), "the copy to hold " + keys, () -> keys.stream().allMatch(k -> {
      store.get(k);
      return store.nearCache().cached(k) != null;
    }));
  }

  private static RedisStore awaited(
      RedisStore store, Duration bound, String[] prefixes, String what, BooleanSupplier done) {
    try {
      for (String prefix : prefixes) {
        if (!prefix.endsWith(":") || prefix.indexOf(':') != prefix.length() - 1) {
          throw new IllegalArgumentException("a key prefix ends at its only ':': " + prefix);
        }
        store.nearCache().covers(prefix);
      }
      String warmUp = (prefixes.length == 0 ? "warm-up:" : prefixes[0]) + "warm-up";
      Poll.until(bound, what, () -> {
        try {
          store.get(warmUp); // turns tracking on; on a busy machine it may time out: try again
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
