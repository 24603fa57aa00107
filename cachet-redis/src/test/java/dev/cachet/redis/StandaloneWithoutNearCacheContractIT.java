package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on one standalone server, every read going to Redis. */
class StandaloneWithoutNearCacheContractIT extends CacheStoreContract {
  @RegisterExtension static final SharedRedis redis = new SharedRedis();

  @Override
  protected CacheStore newStore() {
    return redis.storeBuilder().nearCache(false).build();
  }
}
