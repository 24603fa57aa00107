package dev.cachet.memcached;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared store contract against two real Memcached servers, keys spread by ketama. */
class TwoServerContractIT extends CacheStoreContract {
  private static MemcachedServer first;
  private static MemcachedServer second;

  @BeforeAll
  static void startServers() {
    first = MemcachedServer.start();
    second = MemcachedServer.start();
  }

  @AfterAll
  static void stopServers() {
    long flushes = first.stat("cmd_flush") + second.stat("cmd_flush");
    long items = first.stat("total_items") * second.stat("total_items");
    first.close();
    second.close();
    if (flushes != 0) {
      throw new AssertionError("a store handle flushed a server: cmd_flush=" + flushes);
    }
    if (items == 0) {
      throw new AssertionError("keys were not spread over both servers");
    }
  }

  @Override
  protected CacheStore newStore() {
    return MemcachedStore.builder().servers(first.address() + "," + second.address()).build();
  }
}
