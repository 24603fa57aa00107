package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Edges of loads that answer later, found in review: a caller resumed after giving up on a load
 * that landed meanwhile takes its value, and a foreground refresh that fails inside the
 * stale-while-revalidate window answers the stale value.
 */
class ForegroundEdgesTest {
  private static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(5)).build();

  private static AsyncEntryLoader<String> loader(
      CompletableFuture<Loaded<String>> value, AtomicInteger runs, @Nullable Executor resume, StaleRefresh mode) {
    return new AsyncEntryLoader<>() {
      @Override
      public CompletableFuture<Loaded<String>> load() {
        runs.incrementAndGet();
        return value;
      }

      @Override
      public @Nullable Executor resumption() {
        return resume;
      }

      @Override
      public StaleRefresh staleRefresh() {
        return mode;
      }
    };
  }

  /**
   * LaterJoin's resumed task takes the abandoned load's place and loads without re-reading the
   * store, unlike a caller that waited on its thread (ReadThrough.claim re-reads when a load ended
   * since its lookup). The task runs in a later container dispatch, so the joined load may well
   * have landed by then: its handler then runs a second time for nothing and overwrites the entry.
   */
  @Test
  void aJoinerWhoseWaitEndedAsTheLoadLandedTakesTheLandedEntryInsteadOfLoadingAgain() throws Exception {
    try (Cachet impatient = Cachet.builder().store(MemoryStore.create()).maxWait(Duration.ofMillis(50)).build()) {
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<Loaded<String>> slow = new CompletableFuture<>();
      impatient.fetchAsync("k", Codecs.utf8(), POLICY, loader(slow, runs, null, StaleRefresh.BACKGROUND));
      CompletableFuture<Runnable> resumption = new CompletableFuture<>();
      CompletableFuture<CacheResult<String>> joined = impatient.fetchAsync("k", Codecs.utf8(), POLICY,
          loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, resumption::complete,
              StaleRefresh.BACKGROUND));

      Runnable task = resumption.get(10, TimeUnit.SECONDS); // maxWait passed: the request is being dispatched
      slow.complete(Loaded.of("landed")); // the load lands before that dispatch runs
      assertThat(impatient.getIfPresent("k", Codecs.utf8())).isEqualTo("landed");

      task.run();
      assertThat(joined.get(10, TimeUnit.SECONDS).value()).isEqualTo("landed");
      assertThat(runs).as("the loader ran once: the landed entry answered the joiner").hasValue(1);
    }
  }

  /**
   * A foreground refresh that fails answers its caller with the failure unless the entry is inside
   * its stale-if-error window, although the entry is inside its stale-while-revalidate window,
   * which declared it servable. With a background refresh (and before the change, for
   * asynchronous routes) that caller got the stale value; now an HTTP client gets the handler's
   * 5xx or exception although a servable response is stored.
   */
  @Test
  void aForegroundRefreshThatFailsInsideTheStaleWhileRevalidateWindowAnswersTheStaleValue() throws Exception {
    MutableClock clock = new MutableClock();
    CachePolicy swr = CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofMinutes(1)).build();
    try (Cachet cachet = Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock).build()) {
      cachet.put("k", "v1", Codecs.utf8(), swr);
      clock.advance(Duration.ofSeconds(20)); // stale, inside stale-while-revalidate, no stale-if-error
      AtomicInteger runs = new AtomicInteger();

      CompletableFuture<CacheResult<String>> refreshed = cachet.fetchAsync("k", Codecs.utf8(), swr,
          loader(CompletableFuture.failedFuture(new IllegalStateException("down")), runs, null,
              StaleRefresh.FOREGROUND));

      assertThat(refreshed).succeedsWithin(Duration.ofSeconds(10)).satisfies(r -> {
        assertThat(r.status()).isEqualTo(CacheResult.Status.STALE);
        assertThat(r.value()).isEqualTo("v1");
      });
      assertThat(runs).hasValue(1);
    }
  }
}
