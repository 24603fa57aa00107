package dev.cachet.redis;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link LateNearPushCases} on a Redis Cluster, where the entry, its tag version and its lock
 * live on different masters: the push for the entry comes on another connection than the
 * replies that tell A the version changed or the lock is free, so nothing orders them.
 */
class ClusterLateNearPushIT extends LateNearPushCases {
  static RedisClusterProcess cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  RedisStore store() {
    RedisStore store = RedisStore.builder()
        .cluster(cluster.uris())
        .commandTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    Poll.until(BOUND, "client tracking on every master, and each one's slots verified", () -> {
      store.get("warm-up");
      return store.nearCache().tracking() && store.nearCache().servable();
    });
    return store;
  }
}
