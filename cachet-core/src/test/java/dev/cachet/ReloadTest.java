package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncEntryLoader#reloads()}: a caller that wants a new value whatever the key holds
 * loads as on a miss, and the entry stays until the new value replaces it.
 */
class ReloadTest {
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  private final Cachet cachet = Cachet.builder().store(MemoryStore.create()).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  /** A loader that reloads, answering {@code value} (or failing when it is a failure). */
  private static AsyncEntryLoader<String> reloading(CompletableFuture<Loaded<String>> value) {
    return new AsyncEntryLoader<>() {
      @Override
      public CompletableFuture<Loaded<String>> load() {
        return value;
      }

      @Override
      public boolean reloads() {
        return true;
      }
    };
  }

  @Test
  void aReloadLoadsOverAFreshEntryAndReplacesIt() throws Exception {
    cachet.put("k", "old", Codecs.utf8(), policy);
    CacheResult<String> r = cachet.fetchAsync("k", Codecs.utf8(), policy,
        reloading(CompletableFuture.completedFuture(Loaded.of("new")))).get(10, TimeUnit.SECONDS);
    assertThat(r.value()).isEqualTo("new");
    assertThat(r.status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("new");
  }

  @Test
  void aFailedOrUncacheableReloadLeavesTheEntry() throws Exception {
    cachet.put("k", "old", Codecs.utf8(), policy);
    assertThatThrownBy(() -> cachet.fetchAsync("k", Codecs.utf8(), policy,
        reloading(CompletableFuture.failedFuture(new IllegalStateException("down")))).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("old");
    CacheResult<String> mine = cachet.fetchAsync("k", Codecs.utf8(), policy,
        reloading(CompletableFuture.completedFuture(Loaded.uncacheable("private")))).get(10, TimeUnit.SECONDS);
    assertThat(mine.value()).isEqualTo("private");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("old");
  }

  @Test
  void aReloadRacingAnInvalidationIsNotServedFreshAfterIt() throws Exception {
    cachet.put("k", "old", Codecs.utf8(), policy);
    CompletableFuture<Loaded<String>> pending = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> r = cachet.fetchAsync("k", Codecs.utf8(), policy, reloading(pending));
    cachet.invalidateTags(List.of("t"));
    pending.complete(Loaded.of("loaded before the invalidation"));
    assertThat(r.get(10, TimeUnit.SECONDS).value()).isEqualTo("loaded before the invalidation");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
  }
}
