package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
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
}
