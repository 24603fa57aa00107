package dev.cachet.memcached;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared store contract against one real Memcached server. */
class SingleServerContractIT extends CacheStoreContract {
  @RegisterExtension static final SharedMemcached memcached = new SharedMemcached();

  @AfterAll
  static void checkServer() {
    // Every handle the tests opened and closed has left the data alone: nothing flushed it.
    long flushes = memcached.server.stat("cmd_flush");
    if (flushes != 0) {
      throw new AssertionError("a store handle flushed the server: cmd_flush=" + flushes);
    }
  }

  @Override
  protected CacheStore newStore() {
    return MemcachedStore.builder().servers(memcached.server.address()).build();
  }
}
