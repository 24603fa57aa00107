package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A store whose data can come back older than what it acknowledged ({@code
 * CacheStore#incarnation}: a Redis restarted from a snapshot) is not trusted in a new
 * incarnation until the namespace has been invalidated for it, once.
 */
class StoreIncarnationTest {
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  private final MemoryStore memory = MemoryStore.create();
  private final AtomicLong incarnation = new AtomicLong(7);

  /** The memory store, with an incarnation the test sets, as a restarted server changes it. */
  private final ForwardingStore store = new ForwardingStore(memory) {
    @Override
    public long incarnation() {
      return incarnation.get();
    }
  };

  private long version(String key) {
    return memory.getVersions(List.of(key))[0];
  }

  @Test
  void aNewIncarnationInvalidatesTheNamespaceOnceBeforeAnythingIsServed() {
    try (Cachet a = Cachet.builder().store(store).namespace("ns").build();
        Cachet b = Cachet.builder().store(store).namespace("ns").build()) {
      a.get("k", Codecs.utf8(), policy, () -> "v1");
      assertThat(version("ns:i")).as("the incarnation the namespace was validated against").isEqualTo(7);
      long tagBefore = version("ns:t:t");
      a.invalidateTags("t");
      // What a restore of a snapshot taken before the invalidation does: the old tag version is
      // back, with the entry that recorded it, and the server has a new run id.
      memory.setVersion("ns:t:t", tagBefore, Duration.ofDays(1));
      memory.setVersion("ns:i", 7, Duration.ofDays(1));
      incarnation.set(8);

      assertThat(a.get("k", Codecs.utf8(), policy, () -> "v2")).isEqualTo("v2");
      long bumped = version("ns:n");
      assertThat(version("ns:i")).isEqualTo(8);
      assertThat(b.get("k", Codecs.utf8(), policy, () -> "v3"))
          .as("B finds the new incarnation validated: A's reload is a hit").isEqualTo("v2");
      assertThat(version("ns:n")).as("invalidated once, not once per instance").isEqualTo(bumped);
    }
  }

  @Test
  void aReadThatSpansAChangeOfIncarnationIsAMiss() {
    java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
    ForwardingStore changing = new ForwardingStore(store) {
      @Override
      public java.util.Set<StoreCapability> capabilities() {
        // Shared, as Redis is: a hit reads the entry and its versions in one call.
        java.util.Set<StoreCapability> shared = java.util.EnumSet.of(StoreCapability.SHARED);
        shared.addAll(super.capabilities());
        return shared;
      }

      @Override
      public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
        EntryAndVersions read = super.getWithVersions(key, versionKeys);
        if (armed.compareAndSet(true, false)) {
          incarnation.set(9); // reconnected to a restored server while the read was on its way
        }
        return read;
      }
    };
    try (Cachet cachet = Cachet.builder().store(changing).namespace("ns").build()) {
      cachet.get("k", Codecs.utf8(), policy, () -> "v1");
      armed.set(true);
      assertThat(cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of("v2")).status())
          .isEqualTo(CacheResult.Status.MISS);
      assertThat(version("ns:i")).as("validated on the next read").isEqualTo(9);
    }
  }

  @Test
  void concurrentReadersOfANewIncarnationInvalidateTheNamespaceOnceAndServeNothingOld() throws Exception {
    java.util.concurrent.atomic.AtomicInteger bumps = new java.util.concurrent.atomic.AtomicInteger();
    ForwardingStore counting = new ForwardingStore(store) {
      @Override
      public void setVersion(String key, long version, Duration ttl) {
        if (key.equals("ns:n")) {
          bumps.incrementAndGet();
        }
        super.setVersion(key, version, ttl);
      }
    };
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try (Cachet cachet = Cachet.builder().store(counting).namespace("ns").build()) {
      cachet.get("k", Codecs.utf8(), policy, () -> "old");
      bumps.set(0);
      incarnation.set(8);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<String>> reads = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        reads.add(pool.submit(() -> {
          start.await();
          return cachet.get("k", Codecs.utf8(), policy, () -> "new");
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<String> read : reads) {
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("new");
      }
      assertThat(bumps.get()).as("namespace bumps").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStoreWithoutIncarnationsIsNeverChecked() {
    try (Cachet cachet = Cachet.builder().store(memory).namespace("ns").build()) {
      cachet.get("k", Codecs.utf8(), policy, () -> "v1");
      long namespace = version("ns:n");
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "v2")).isEqualTo("v1");
      assertThat(version("ns:i")).as("nothing recorded").isZero();
      assertThat(version("ns:n")).isEqualTo(namespace);
    }
  }
}
