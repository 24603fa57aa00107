package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on one standalone server, through the near cache (the default). */
class StandaloneContractIT extends CacheStoreContract {
  @RegisterExtension static final SharedRedis redis = new SharedRedis();

  @Override
  protected CacheStore newStore() {
    return redis.storeBuilder().build();
  }
}
