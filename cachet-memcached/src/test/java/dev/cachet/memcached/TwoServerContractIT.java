package dev.cachet.memcached;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared store contract against two real Memcached servers, keys spread by ketama. */
class TwoServerContractIT extends CacheStoreContract {
  @RegisterExtension static final TwoMemcached servers = new TwoMemcached();

  @AfterAll
  static void checkServers() {
    long flushes = servers.first.stat("cmd_flush") + servers.second.stat("cmd_flush");
    long items = servers.first.stat("total_items") * servers.second.stat("total_items");
    if (flushes != 0) {
      throw new AssertionError("a store handle flushed a server: cmd_flush=" + flushes);
    }
    if (items == 0) {
      throw new AssertionError("keys were not spread over both servers");
    }
  }

  @Override
  protected CacheStore newStore() {
    return MemcachedStore.builder().servers(servers.addresses()).build();
  }
}
