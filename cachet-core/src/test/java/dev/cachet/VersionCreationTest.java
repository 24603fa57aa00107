package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A tag's versions are made when an entry carrying it is first written, not when a load of it
 * starts: misses that store nothing leave no version keys behind, and a first load that an
 * invalidation of its new tag overtakes is not written.
 */
class VersionCreationTest {
  private final MemoryStore store = MemoryStore.builder().build();
  private final CachePolicy tagged = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();

  private long[] tagVersions() {
    return store.getVersions(List.of("cachet:t:t", "cachet:s:t"));
  }

  @Test
  void aMissThatStoresNothingCreatesNoTagVersions() {
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      for (int i = 0; i < 100; i++) {
        cachet.fetch("absent-" + i, Codecs.utf8(), tagged, () -> Loaded.uncacheable("404"));
      }
      assertThat(tagVersions()).containsExactly(0, 0);
      cachet.get("k", Codecs.utf8(), tagged, () -> "v");
      assertThat(tagVersions()).doesNotContain(0L);
      assertThat(cachet.get("k", Codecs.utf8(), tagged, () -> "reloaded")).isEqualTo("v");
    }
  }

  @Test
  void concurrentFirstLoadsOfOneNewTagAreAllWritten() throws Exception {
    int loads = 16;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(loads);
    java.util.concurrent.CyclicBarrier allCaptured = new java.util.concurrent.CyclicBarrier(loads);
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      List<java.util.concurrent.Future<String>> done = new java.util.ArrayList<>();
      for (int i = 0; i < loads; i++) {
        String key = "k" + i;
        // every loader runs after every capture: each finds the tag absent, one creates it
        done.add(pool.submit(() -> cachet.get(key, Codecs.utf8(), tagged, () -> {
          allCaptured.await(10, java.util.concurrent.TimeUnit.SECONDS);
          return key;
        })));
      }
      for (java.util.concurrent.Future<String> f : done) {
        f.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      for (int i = 0; i < loads; i++) {
        assertThat(cachet.get("k" + i, Codecs.utf8(), tagged, () -> "reloaded")).isEqualTo("k" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFirstLoadThatAnInvalidationOfItsNewTagOvertakesIsNotWritten() {
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      assertThat(cachet.get("k", Codecs.utf8(), tagged, () -> {
        cachet.invalidateTags("t"); // while the load runs: its data may predate the change
        return "old";
      })).isEqualTo("old");
      assertThat(cachet.get("k", Codecs.utf8(), tagged, () -> "new")).isEqualTo("new");
      assertThat(cachet.get("k", Codecs.utf8(), tagged, () -> "again")).isEqualTo("new");
    }
  }

  @Test
  void aCallerArrivingAfterAnotherLoadCreatedTheTagJoinsTheRunningLoad() throws Exception {
    CountDownLatch leaderLoading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      CompletableFuture<String> leader = CompletableFuture.supplyAsync(() -> cachet.get("k", Codecs.utf8(), tagged, () -> {
        loads.incrementAndGet();
        leaderLoading.countDown();
        release.await(10, TimeUnit.SECONDS);
        return "first";
      }));
      assertThat(leaderLoading.await(10, TimeUnit.SECONDS)).isTrue();
      // another key's load creates the tag's versions while the leader, which found none, runs
      cachet.get("other", Codecs.utf8(), tagged, () -> "other");
      assertThat(tagVersions()).doesNotContain(0L);

      CompletableFuture<String> joined = new CompletableFuture<>();
      Thread joiner = new Thread(() -> joined.complete(cachet.get("k", Codecs.utf8(), tagged, () -> {
        loads.incrementAndGet();
        return "second";
      })));
      joiner.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (joiner.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      release.countDown();
      assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(loads).hasValue(1);
      assertThat(cachet.get("k", Codecs.utf8(), tagged, () -> "reloaded")).isEqualTo("first");
    }
  }
}
