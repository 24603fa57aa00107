package dev.cachet.memcached;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared store contract against one real Memcached server. */
class SingleServerContractIT extends CacheStoreContract {
  private static MemcachedServer server;

  @BeforeAll
  static void startServer() {
    server = MemcachedServer.start();
  }

  @AfterAll
  static void stopServer() {
    // Every handle the tests opened and closed has left the data alone: nothing flushed it.
    long flushes = server.stat("cmd_flush");
    server.close();
    if (flushes != 0) {
      throw new AssertionError("a store handle flushed the server: cmd_flush=" + flushes);
    }
  }

  @Override
  protected CacheStore newStore() {
    return MemcachedStore.builder().servers(server.address()).build();
  }
}
