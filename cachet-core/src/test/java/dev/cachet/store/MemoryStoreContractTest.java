package dev.cachet.store;

/** The memory store passes the shared store contract. */
class MemoryStoreContractTest extends CacheStoreContract {
  // JUnit makes an instance per test: one backing store per test, every handle sharing it.
  private final MemoryStore backing = MemoryStore.create();

  @Override
  protected CacheStore newStore() {
    return new ForwardingStore(backing) {
      @Override
      public void close() {
        // Handles close; the backing store lives as long as the test, like a server.
      }
    };
  }
}
