package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a three-master Redis Cluster. */
class ClusterContractIT extends CacheStoreContract {
  static RedisClusterProcess cluster;
  static ClientResources resources;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
    resources = DefaultClientResources.builder().nettyCustomizer(RedisStore.consolidatedFlushes()).build();
  }

  @AfterAll
  static void stopCluster() {
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    cluster.close();
  }

  @Override
  protected CacheStore newStore() {
    return RedisStore.builder()
        .cluster(cluster.uris().get(0))
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(resources)
        .build();
  }
}
