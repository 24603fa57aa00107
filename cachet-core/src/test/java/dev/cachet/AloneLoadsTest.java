package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncEntryLoader#mayLead()}: a caller whose value can never be stored (a {@code HEAD}
 * request) never becomes the load that others join, but joins one that runs.
 */
class AloneLoadsTest {
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).build();
  private final Cachet cachet = Cachet.builder().store(MemoryStore.create()).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  private static AsyncEntryLoader<String> alone(CompletableFuture<Loaded<String>> value, AtomicInteger runs) {
    return new AsyncEntryLoader<>() {
      @Override
      public CompletableFuture<Loaded<String>> load() {
        runs.incrementAndGet();
        return value;
      }

      @Override
      public boolean mayLead() {
        return false;
      }
    };
  }

  @Test
  void callersThatCanStoreNeverWaitForOneThatCannot() throws Exception {
    AtomicInteger headRuns = new AtomicInteger();
    CompletableFuture<Loaded<String>> head = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> headResult =
        cachet.fetchAsync("k", Codecs.utf8(), policy, alone(head, headRuns));
    assertThat(headRuns).hasValue(1);

    // A GET arriving while the HEAD's handler runs leads its own load, and a second one joins it.
    AtomicInteger getRuns = new AtomicInteger();
    CompletableFuture<Loaded<String>> get = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> first = cachet.fetchAsync("k", Codecs.utf8(), policy, () -> {
      getRuns.incrementAndGet();
      return get;
    });
    CompletableFuture<CacheResult<String>> second = CompletableFuture.supplyAsync(() ->
        cachet.fetchAsync("k", Codecs.utf8(), policy, () -> {
          getRuns.incrementAndGet();
          return CompletableFuture.completedFuture(Loaded.of("second's own"));
        }).join());
    get.complete(Loaded.of("body"));
    assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("body");
    assertThat(second.get(10, TimeUnit.SECONDS).value()).isEqualTo("body");
    assertThat(getRuns).hasValue(1);

    head.complete(Loaded.uncacheable("no body"));
    assertThat(headResult.get(10, TimeUnit.SECONDS).value()).isEqualTo("no body");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("body");
  }

  @Test
  void aCallerThatMayNotLeadJoinsALoadThatRuns() throws Exception {
    CompletableFuture<Loaded<String>> get = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> leader =
        cachet.fetchAsync("j", Codecs.utf8(), policy, () -> get);
    AtomicInteger headRuns = new AtomicInteger();
    CompletableFuture<CacheResult<String>> head = CompletableFuture.supplyAsync(() ->
        cachet.fetchAsync("j", Codecs.utf8(), policy, alone(new CompletableFuture<>(), headRuns)).join());
    get.complete(Loaded.of("body"));
    assertThat(head.get(10, TimeUnit.SECONDS).value()).isEqualTo("body");
    assertThat(leader.get(10, TimeUnit.SECONDS).value()).isEqualTo("body");
    assertThat(headRuns).hasValue(0);
  }
}
