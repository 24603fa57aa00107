package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Cachet#fetchAsync} for a caller whose loader has a {@link AsyncEntryLoader#resumption()}:
 * it waits for a concurrent load no thread runs without its own thread, shares that load's value,
 * failure or stale fallback, and loads through its executor only when it must load after all.
 * {@code maxWait} is 5 s here unless a test gives up on purpose, so that a caller that waited
 * on its thread would be seen waiting.
 */
class ResumedJoinTest {
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  private final MutableClock clock = new MutableClock();
  private final Cachet cachet = Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock)
      .maxWait(Duration.ofSeconds(5)).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  /** A loader answering {@code value}, counting its runs, resumed through {@code resume} (none: waits on its thread). */
  private static AsyncEntryLoader<String> loader(
      CompletableFuture<Loaded<String>> value, AtomicInteger runs, @Nullable Executor resume) {
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
    };
  }

  private CompletableFuture<CacheResult<String>> fetch(Cachet c, AsyncEntryLoader<String> loader) {
    return c.fetchAsync("k", Codecs.utf8(), policy, loader);
  }

  @Test
  void aJoinerOfALoadNoThreadRunsReturnsAtOnceAndSharesItsValue() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger runs = new AtomicInteger();
    fetch(cachet, loader(value, runs, null));
    ManualExecutor resume = new ManualExecutor();

    long start = System.nanoTime();
    CompletableFuture<CacheResult<String>> joined =
        fetch(cachet, loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, resume));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("returned without waiting for the load")
        .isLessThan(Duration.ofSeconds(4));
    assertThat(joined).isNotDone();

    value.complete(Loaded.of("v"));
    CacheResult<String> shared = joined.get(10, TimeUnit.SECONDS);
    assertThat(shared.value()).isEqualTo("v");
    assertThat(shared.status()).isEqualTo(CacheResult.Status.MISS);
    assertThat(runs).hasValue(1);
    assertThat(resume.pending()).as("nothing to resume: the value was shared").isZero();
  }

  @Test
  void aJoinerLoadsThroughItsExecutorAloneWhenTheSharedValueIsPrivate() throws Exception {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger runs = new AtomicInteger();
    fetch(cachet, loader(value, runs, null));
    ManualExecutor resume = new ManualExecutor();
    CompletableFuture<CacheResult<String>> joined =
        fetch(cachet, loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, resume));

    value.complete(Loaded.uncacheable("private"));
    assertThat(resume.pending()).isEqualTo(1);
    assertThat(runs).as("its loader waits for the executor").hasValue(1);
    assertThat(joined).isNotDone();

    assertThat(resume.runAll()).isEqualTo(1);
    assertThat(runs).hasValue(2);
    assertThat(joined.get(10, TimeUnit.SECONDS).value()).isEqualTo("own");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).as("loaded alone, as a waiting caller does").isNull();
  }

  @Test
  void aJoinerThatGivesUpTakesTheAbandonedLoadsPlaceThroughItsExecutor() throws Exception {
    try (Cachet impatient = Cachet.builder().store(MemoryStore.create()).maxWait(Duration.ofMillis(50)).build()) {
      CompletableFuture<Loaded<String>> hung = new CompletableFuture<>();
      AtomicInteger runs = new AtomicInteger();
      fetch(impatient, loader(hung, runs, null));
      CompletableFuture<Runnable> resumed = new CompletableFuture<>();
      CompletableFuture<CacheResult<String>> joined =
          fetch(impatient, loader(CompletableFuture.completedFuture(Loaded.of("v1")), runs, resumed::complete));
      assertThat(joined).isNotDone();

      resumed.get(10, TimeUnit.SECONDS).run(); // given after maxWait, on the timer's thread
      assertThat(joined.get(10, TimeUnit.SECONDS).value()).isEqualTo("v1");
      assertThat(impatient.getIfPresent("k", Codecs.utf8())).as("stored in the abandoned load's place").isEqualTo("v1");
      hung.complete(Loaded.of("late"));
      assertThat(impatient.getIfPresent("k", Codecs.utf8())).isEqualTo("v1");
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void aJoinerWaitsOnItsThreadWhileTheLoadHoldsOneAndNoLongerOnceItIsHandedToAFuture() throws Exception {
    CountDownLatch handOff = new CountDownLatch(1);
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger runs = new AtomicInteger();
    Thread leader = new Thread(() -> fetch(cachet, () -> {
      runs.incrementAndGet();
      handOff.await(10, TimeUnit.SECONDS); // the synchronous part of the load
      return value;
    }));
    leader.start();
    awaitState(leader, Thread.State.TIMED_WAITING);

    AtomicReference<CompletableFuture<CacheResult<String>>> joined = new AtomicReference<>();
    Thread joiner = new Thread(() -> joined.set(fetch(cachet,
        loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, new ManualExecutor()))));
    joiner.start();
    awaitState(joiner, Thread.State.WAITING, Thread.State.TIMED_WAITING);
    assertThat(joiner.isAlive()).as("waits while the leader's thread runs the load").isTrue();

    handOff.countDown(); // the loader returns its future: the joiner's thread is let go
    joiner.join(10_000);
    assertThat(joiner.isAlive()).isFalse();
    assertThat(joined.get()).isNotDone();
    value.complete(Loaded.of("v"));
    assertThat(joined.get().get(10, TimeUnit.SECONDS).value()).isEqualTo("v");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aJoinerSharesTheLoadsFailureOrTheStaleValueInsideTheErrorWindow() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Loaded<String>> failing = new CompletableFuture<>();
    fetch(cachet, loader(failing, runs, null));
    CompletableFuture<CacheResult<String>> joined =
        fetch(cachet, loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, new ManualExecutor()));
    failing.completeExceptionally(new IllegalStateException("down"));
    assertThatThrownBy(() -> joined.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class).hasMessage("down");

    CachePolicy tolerant = CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofMinutes(1)).build();
    cachet.put("k", "old", Codecs.utf8(), tolerant);
    clock.advance(Duration.ofSeconds(20)); // expired, inside stale-if-error
    CompletableFuture<Loaded<String>> failingAgain = new CompletableFuture<>();
    cachet.fetchAsync("k", Codecs.utf8(), tolerant, loader(failingAgain, runs, null));
    CompletableFuture<CacheResult<String>> stale = cachet.fetchAsync("k", Codecs.utf8(), tolerant,
        loader(CompletableFuture.completedFuture(Loaded.of("own")), runs, new ManualExecutor()));
    failingAgain.completeExceptionally(new IllegalStateException("down again"));
    assertThat(stale.get(10, TimeUnit.SECONDS).status()).isEqualTo(CacheResult.Status.STALE);
    assertThat(stale.get().value()).isEqualTo("old");
    assertThat(runs).hasValue(2);
  }

  @Test
  void anExecutorThatRejectsTheResumptionFailsTheCallersFuture() {
    CompletableFuture<Loaded<String>> value = new CompletableFuture<>();
    AtomicInteger runs = new AtomicInteger();
    fetch(cachet, loader(value, runs, null));
    CompletableFuture<CacheResult<String>> joined = fetch(cachet, loader(value, runs, task -> {
      throw new java.util.concurrent.RejectedExecutionException("the request ended");
    }));
    value.complete(Loaded.uncacheable("private"));
    assertThatThrownBy(() -> joined.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
  }

  private static void awaitState(Thread t, Thread.State... states) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!java.util.List.of(states).contains(t.getState()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(t.getState()).isIn((Object[]) states);
  }
}
