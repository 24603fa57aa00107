package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a three-master Redis Cluster, found from one seed. */
class ClusterContractIT extends CacheStoreContract {
  @RegisterExtension static final SharedRedisCluster redis = new SharedRedisCluster();

  @Override
  protected CacheStore newStore() {
    return RedisStore.builder()
        .cluster(redis.cluster.uris().get(0))
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(redis.resources)
        .build();
  }
}
