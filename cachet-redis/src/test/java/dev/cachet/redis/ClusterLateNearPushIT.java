package dev.cachet.redis;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LateNearPushCases} on a Redis Cluster, where the entry, its tag version and its lock
 * live on different masters: the push for the entry comes on another connection than the
 * replies that tell A the version changed or the lock is free, so nothing orders them.
 */
class ClusterLateNearPushIT extends LateNearPushCases {
  @RegisterExtension static final SharedRedisCluster redis = new SharedRedisCluster();

  @Override
  RedisStore store() {
    return NearCacheTracking.awaitedOnEveryMaster(RedisStore.builder()
        .cluster(redis.cluster.uris())
        .commandTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5))
        .build(), BOUND, ns + ":");
  }
}
