package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StaleRefresh#FOREGROUND}: the caller that finds a stale entry refreshes it with its own
 * load and gets the new value; every caller that finds that load running gets the stale value at
 * once; a failed refresh leaves the entry as it was; versions are captured before the refresh
 * runs. {@link StaleRefresh#NONE} serves stale and refreshes nothing. No background refresh runs
 * for either: the refresh executor is one the test runs by hand, and it stays empty.
 */
class ForegroundRefreshTest {
  private static final CachePolicy SWR = CachePolicy.builder().ttl(Duration.ofSeconds(10))
      .staleWhileRevalidate(Duration.ofMinutes(1)).tags("t").build();
  private final MutableClock clock = new MutableClock();
  private final ManualExecutor background = new ManualExecutor();
  private final Cachet cachet = Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock)
      .refreshExecutor(background).maxWait(Duration.ofSeconds(5)).build();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void close() {
    assertThat(background.pending()).as("no background refresh").isZero();
    cachet.close();
  }

  private AsyncEntryLoader<String> refreshing(StaleRefresh mode, CompletableFuture<Loaded<String>> value) {
    return new AsyncEntryLoader<>() {
      @Override
      public CompletableFuture<Loaded<String>> load() {
        runs.incrementAndGet();
        return value;
      }

      @Override
      public StaleRefresh staleRefresh() {
        return mode;
      }
    };
  }

  private CompletableFuture<CacheResult<String>> fetch(StaleRefresh mode, CompletableFuture<Loaded<String>> value) {
    return fetch(SWR, mode, value);
  }

  private CompletableFuture<CacheResult<String>> fetch(
      CachePolicy policy, StaleRefresh mode, CompletableFuture<Loaded<String>> value) {
    return cachet.fetchAsync("k", Codecs.utf8(), policy, refreshing(mode, value));
  }

  /** Stores {@code v1} under {@code policy} and lets it go stale (20 s of a 10 s TTL). */
  private void staleEntry(CachePolicy policy) {
    cachet.put("k", "v1", Codecs.utf8(), policy);
    clock.advance(Duration.ofSeconds(20));
  }

  private static CompletableFuture<Loaded<String>> now(String value) {
    return CompletableFuture.completedFuture(Loaded.of(value));
  }

  @Test
  void theCallerThatFindsTheEntryStaleRefreshesItWhileOthersGetItStaleAtOnce() throws Exception {
    staleEntry(SWR);
    CompletableFuture<Loaded<String>> v2 = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> refresher = fetch(StaleRefresh.FOREGROUND, v2);
    assertThat(refresher).isNotDone();
    assertThat(runs).hasValue(1);

    CacheResult<String> other = fetch(StaleRefresh.FOREGROUND, now("never")).get(10, TimeUnit.SECONDS);
    assertThat(other.status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(other.value()).isEqualTo("v1");
    assertThat(fetch(StaleRefresh.BACKGROUND, now("never")).get(10, TimeUnit.SECONDS).value()).isEqualTo("v1");
    assertThat(runs).hasValue(1);

    v2.complete(Loaded.of("v2"));
    CacheResult<String> refreshed = refresher.get(10, TimeUnit.SECONDS);
    assertThat(refreshed.status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(refreshed.value()).isEqualTo("v2");
    CacheResult<String> hit = fetch(StaleRefresh.FOREGROUND, now("never")).get(10, TimeUnit.SECONDS);
    assertThat(hit.status()).isEqualTo(CacheResult.Status.HIT);
    assertThat(hit.value()).isEqualTo("v2");
    assertThat(runs).hasValue(1);
  }

  @Test
  void ofConcurrentStaleCallersOneRefreshes() throws Exception {
    staleEntry(SWR);
    int callers = 16;
    CompletableFuture<Loaded<String>> v2 = new CompletableFuture<>();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<CacheResult<String>>> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      AtomicReference<CompletableFuture<CacheResult<String>>> mine = new AtomicReference<>();
      CompletableFuture<CacheResult<String>> result = new CompletableFuture<>();
      results.add(result);
      Thread t = new Thread(() -> {
        try {
          go.await();
          fetch(StaleRefresh.FOREGROUND, v2).whenComplete((r, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(r);
            }
          });
        } catch (InterruptedException e) {
          result.completeExceptionally(e);
        }
      });
      threads.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(runs).hasValue(1);
    List<CompletableFuture<CacheResult<String>>> pending = results.stream().filter(r -> !r.isDone()).toList();
    assertThat(pending).hasSize(1);
    for (CompletableFuture<CacheResult<String>> r : results) {
      if (r.isDone()) {
        assertThat(r.get().status()).isEqualTo(CacheResult.Status.STALE);
        assertThat(r.get().value()).isEqualTo("v1");
      }
    }
    v2.complete(Loaded.of("v2"));
    assertThat(pending.get(0).get(10, TimeUnit.SECONDS).value()).isEqualTo("v2");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v2");
  }

  @Test
  void aFailedRefreshIsAnsweredStaleAndLeavesTheStaleEntryForTheNextOne() throws Exception {
    staleEntry(SWR);
    CompletableFuture<Loaded<String>> failing = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> refresher = fetch(StaleRefresh.FOREGROUND, failing);
    failing.completeExceptionally(new IllegalStateException("down"));
    // Inside the window that made the entry servable, as a background refresh's failure would.
    CacheResult<String> stale = refresher.get(10, TimeUnit.SECONDS);
    assertThat(stale.status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(stale.value()).isEqualTo("v1");

    CompletableFuture<CacheResult<String>> again = fetch(StaleRefresh.FOREGROUND, now("v2"));
    assertThat(again.get(10, TimeUnit.SECONDS).value()).as("the entry was still stale: refreshed again").isEqualTo("v2");
    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailedRefreshIsAnsweredStaleInsideTheStaleIfErrorWindow() throws Exception {
    CachePolicy tolerant = CachePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1)).staleIfError(Duration.ofMinutes(1)).build();
    staleEntry(tolerant);
    CompletableFuture<Loaded<String>> failing = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> refresher = fetch(tolerant, StaleRefresh.FOREGROUND, failing);
    failing.completeExceptionally(new IllegalStateException("down"));
    CacheResult<String> stale = refresher.get(10, TimeUnit.SECONDS);
    assertThat(stale.status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(stale.value()).isEqualTo("v1");
  }

  @Test
  void anInvalidationDuringTheRefreshKeepsItsValueFromBeingServedFreshAfterwards() throws Exception {
    staleEntry(SWR);
    CompletableFuture<Loaded<String>> v2 = new CompletableFuture<>();
    CompletableFuture<CacheResult<String>> refresher = fetch(StaleRefresh.FOREGROUND, v2);
    cachet.invalidateTags("t"); // the data changed while the refresh ran
    v2.complete(Loaded.of("v2"));
    assertThat(refresher.get(10, TimeUnit.SECONDS).value()).isEqualTo("v2"); // its caller asked before
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
    CacheResult<String> next = fetch(StaleRefresh.FOREGROUND, now("v3")).get(10, TimeUnit.SECONDS);
    assertThat(next.status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(next.value()).isEqualTo("v3");
  }

  @Test
  void aRefreshNoThreadRunsIsTakenOverOnceItIsOlderThanMaxWait() throws Exception {
    staleEntry(SWR);
    CompletableFuture<Loaded<String>> hung = new CompletableFuture<>();
    fetch(StaleRefresh.FOREGROUND, hung);
    clock.advance(Duration.ofSeconds(4));
    assertThat(fetch(StaleRefresh.FOREGROUND, now("too soon")).get(10, TimeUnit.SECONDS).status())
        .isEqualTo(CacheResult.Status.STALE);

    clock.advance(Duration.ofSeconds(1)); // 5 s: maxWait
    CacheResult<String> takenOver = fetch(StaleRefresh.FOREGROUND, now("v3")).get(10, TimeUnit.SECONDS);
    assertThat(takenOver.status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(takenOver.value()).isEqualTo("v3");
    hung.complete(Loaded.of("late"));
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).as("the abandoned value is never written").isEqualTo("v3");
    assertThat(runs).hasValue(2);
  }

  @Test
  void noneServesStaleAndRefreshesNothing() throws Exception {
    staleEntry(SWR);
    CacheResult<String> stale = fetch(StaleRefresh.NONE, now("never")).get(10, TimeUnit.SECONDS);
    assertThat(stale.status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(stale.value()).isEqualTo("v1");
    assertThat(runs).hasValue(0);
    assertThat(fetch(StaleRefresh.FOREGROUND, now("v2")).get(10, TimeUnit.SECONDS).value()).isEqualTo("v2");
  }

  @Test
  void theDefaultStillRefreshesInTheBackground() throws Exception {
    staleEntry(SWR);
    CacheResult<String> stale = fetch(StaleRefresh.BACKGROUND, now("v2")).get(10, TimeUnit.SECONDS);
    assertThat(stale.status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(background.runAll()).isEqualTo(1);
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v2");
  }
}
