package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Cachet#fetchAsync}: the loader runs on the caller's thread before the call returns, its
 * value is written once its future completes (with the versions captured before it ran), and
 * concurrent misses wait for it on their own threads.
 */
class FetchAsyncTest {
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  private final Cachet cachet = Cachet.builder().store(MemoryStore.create()).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  private CompletableFuture<CacheResult<String>> fetch(CompletableFuture<Loaded<String>> value, AtomicInteger loads) {
    return cachet.fetchAsync("k", Codecs.utf8(), policy, () -> {
      loads.incrementAndGet();
      return value;
    });
  }

  @Test
  void aMissRunsTheLoaderOnTheCallersThreadAndStoresItsValueWhenItArrives() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicReference<Thread> loaderThread = new AtomicReference<>();
    CompletableFuture<CacheResult<String>> result = cachet.fetchAsync("k", Codecs.utf8(), policy, () -> {
      loaderThread.set(Thread.currentThread());
      return value;
    });
    assertThat(loaderThread.get()).isSameAs(Thread.currentThread());
    assertThat(result).isNotDone();
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();

    value.complete(Loaded.of("v"));
    assertThat(result.get(10, TimeUnit.SECONDS).value()).isEqualTo("v");
    assertThat(result.get().status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v");

    AtomicInteger loads = new AtomicInteger();
    CacheResult<String> hit = fetch(new CompletableFuture<>(), loads).get(10, TimeUnit.SECONDS);
    assertThat(hit.status()).isEqualTo(CacheResult.Status.HIT);
    assertThat(hit.value()).isEqualTo("v");
    assertThat(loads).hasValue(0);
  }

  @Test
  void aConcurrentMissWaitsOnItsOwnThreadAndSharesTheValue() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<CacheResult<String>> first = fetch(value, loads);
    CompletableFuture<CacheResult<String>> joined = fetchWaitingOnAnotherThread(Loaded.of("other"), loads);

    value.complete(Loaded.of("v"));
    assertThat(joined.get(10, TimeUnit.SECONDS).value()).isEqualTo("v");
    assertThat(joined.get().status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("v");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aConcurrentMissLoadsForItselfWhenTheSharedValueIsNotCacheable() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger loads = new AtomicInteger();
    fetch(value, loads);
    CompletableFuture<CacheResult<String>> joined = fetchWaitingOnAnotherThread(Loaded.of("own"), loads);

    value.complete(Loaded.uncacheable("private"));
    assertThat(joined.get(10, TimeUnit.SECONDS).value()).isEqualTo("own");
    assertThat(loads).hasValue(2);
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull(); // loaded alone, as fetch's waiters do
  }

  @Test
  void aFailedLoadFailsTheFutureStoresNothingAndTheNextMissLoadsAgain() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<CacheResult<String>> failed = fetch(value, loads);
    value.completeExceptionally(new IllegalStateException("boom"));
    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();

    assertThat(fetch(CompletableFuture.completedFuture(Loaded.of("v")), loads).get(10, TimeUnit.SECONDS).value())
        .isEqualTo("v");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aLoaderThatThrowsOrReturnsNoFutureFailsTheFuture() {
    CompletableFuture<CacheResult<String>> threw = cachet.fetchAsync("k", Codecs.utf8(), policy, () -> {
      throw new java.io.IOException("unreachable");
    });
    assertThatThrownBy(() -> threw.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(CacheLoaderException.class).hasRootCauseInstanceOf(java.io.IOException.class);
    CompletableFuture<CacheResult<String>> none = cachet.fetchAsync("k", Codecs.utf8(), policy, () -> null);
    assertThatThrownBy(() -> none.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(NullPointerException.class).hasMessageContaining("'k'");
  }

  @Test
  void aValueLoadedAcrossAnInvalidationIsNotServedAsFreshAfterIt() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<CacheResult<String>> loading = fetch(value, loads);
    cachet.invalidateTags("t"); // the data changed while the load ran
    value.complete(Loaded.of("old"));
    assertThat(loading.get(10, TimeUnit.SECONDS).value()).isEqualTo("old"); // its caller asked before
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
  }

  @Test
  void aCallerThatGivesUpOnAPendingLoadAbandonsIt() throws Exception {
    try (Cachet impatient = Cachet.builder().store(MemoryStore.create()).maxWait(Duration.ofMillis(50)).build()) {
      CompletableFuture<Loaded<String>> hung = new CompletableFuture<>();
      impatient.fetchAsync("k", Codecs.utf8(), policy, () -> hung);
      // Waits for the pending load, gives up after maxWait, loads for itself.
      CacheResult<String> own = impatient.fetchAsync("k", Codecs.utf8(), policy,
          () -> CompletableFuture.completedFuture(Loaded.of("v1"))).get(10, TimeUnit.SECONDS);
      assertThat(own.value()).isEqualTo("v1");
      // It led in the abandoned load's place: its value is stored, the abandoned one's never.
      assertThat(impatient.getIfPresent("k", Codecs.utf8())).isEqualTo("v1");
      hung.complete(Loaded.of("late"));
      assertThat(impatient.getIfPresent("k", Codecs.utf8())).isEqualTo("v1");
    }
  }

  /**
   * Fetches the key on another thread, with a loader answering {@code own}, and returns once that
   * thread waits (for the load in progress, 10 s at most); the future has what it fetched.
   */
  private CompletableFuture<CacheResult<String>> fetchWaitingOnAnotherThread(Loaded<String> own, AtomicInteger loads) {
    CompletableFuture<CacheResult<String>> fetched = new CompletableFuture<>();
    Thread t = new Thread(() -> fetch(CompletableFuture.completedFuture(own), loads)
        .whenComplete((r, e) -> fetched.complete(r)));
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(t.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    return fetched;
  }
}
