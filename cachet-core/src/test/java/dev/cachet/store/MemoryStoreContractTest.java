package dev.cachet.store;

import org.junit.jupiter.api.Test;

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

  @Test
  void aScanCountIsAHintOfAnySize() {
    MemoryStore store = MemoryStore.create();
    store.put("a", new byte[] {1}, java.time.Duration.ofMinutes(1));
    store.put("b", new byte[] {1}, java.time.Duration.ofMinutes(1));
    ScanPage all = store.scan("*", null, Integer.MAX_VALUE);
    org.assertj.core.api.Assertions.assertThat(all.keys()).containsExactly("a", "b");
    org.assertj.core.api.Assertions.assertThat(all.nextCursor()).isNull();
  }
}
