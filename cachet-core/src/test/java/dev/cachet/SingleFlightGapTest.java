package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * BUG (reported): a miss that happens while a load of its key is running, but whose version
 * capture completes after that load has finished, runs the loader again instead of serving what
 * the load just stored. Seen over HTTP in {@code TwoInstancesRedisIT} on a busy machine: 16
 * concurrent misses on two instances without {@code lock} ran the handler 3 times, not 2.
 * Reproduced here deterministically by holding the second caller's version read until the first
 * load is done. It belongs in cachet-core's unit tests; it is named {@code *IT} here only so that
 * a failure does not stop the build before this module's integration tests run.
 */
class SingleFlightGapTest {

  /** The real memory store; version reads are held while {@link #hold} is armed. */
  static final class HoldingStore implements CacheStore {
    final CacheStore store = MemoryStore.builder().build();
    volatile @Nullable CountDownLatch hold;
    final CountDownLatch held = new CountDownLatch(1);

    @Override
    public byte @Nullable [] get(String key) {
      return store.get(key);
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
      store.put(key, value, ttl);
    }

    @Override
    public boolean delete(String key) {
      return store.delete(key);
    }

    @Override
    public long[] getVersions(List<String> keys) {
      CountDownLatch h = hold;
      if (h != null) {
        held.countDown();
        try {
          h.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return store.getVersions(keys);
    }

    @Override
    public void setVersion(String key, long version, Duration ttl) {
      store.setVersion(key, version, ttl);
    }

    @Override
    public long setVersionIfAbsent(String key, long version, Duration ttl) {
      return store.setVersionIfAbsent(key, version, ttl);
    }

    @Override
    public Set<StoreCapability> capabilities() {
      return store.capabilities();
    }
  }

  @Test
  void aMissDuringALoadIsAnsweredByThatLoad() throws Exception {
    HoldingStore store = new HoldingStore();
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finishLoad = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Cachet cachet = Cachet.builder().store(store).namespace("gap").build()) {
      Future<String> first = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> {
        loads.incrementAndGet();
        loading.countDown();
        finishLoad.await(10, TimeUnit.SECONDS);
        return "v1";
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

      // A second caller misses while the first load runs; its version read is slow.
      CountDownLatch release = new CountDownLatch(1);
      store.hold = release;
      Future<String> second = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> {
        loads.incrementAndGet();
        return "v2";
      }));
      assertThat(store.held.await(10, TimeUnit.SECONDS)).isTrue();
      store.hold = null;

      finishLoad.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
      release.countDown();
      String secondValue = second.get(10, TimeUnit.SECONDS);

      assertThat(loads.get()).as("loader runs for two concurrent misses of one key").isEqualTo(1);
      assertThat(secondValue).isEqualTo("v1");
    } finally {
      pool.shutdownNow();
    }
  }
  @Test
  void anAsyncMissDuringALoadIsAnsweredByThatLoad() throws Exception {
    HoldingStore store = new HoldingStore();
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
    AtomicInteger loads = new AtomicInteger();
    java.util.concurrent.CompletableFuture<String> firstLoad = new java.util.concurrent.CompletableFuture<>();
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (Cachet cachet = Cachet.builder().store(store).namespace("gap").build()) {
      java.util.concurrent.CompletableFuture<String> first = cachet.getAsync("k", Codecs.utf8(), policy, () -> {
        loads.incrementAndGet();
        return firstLoad;
      });

      // A second caller misses while the first load runs; its version read is slow.
      CountDownLatch release = new CountDownLatch(1);
      store.hold = release;
      Future<String> second = pool.submit(() -> cachet.getAsync("k", Codecs.utf8(), policy, () -> {
        loads.incrementAndGet();
        return java.util.concurrent.CompletableFuture.completedFuture("v2");
      }).get(10, TimeUnit.SECONDS));
      assertThat(store.held.await(10, TimeUnit.SECONDS)).isTrue();
      store.hold = null;

      firstLoad.complete("v1");
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
      release.countDown();
      String secondValue = second.get(10, TimeUnit.SECONDS);

      assertThat(loads.get()).as("loader runs for two concurrent async misses of one key").isEqualTo(1);
      assertThat(secondValue).isEqualTo("v1");
    } finally {
      pool.shutdownNow();
    }
  }
}
