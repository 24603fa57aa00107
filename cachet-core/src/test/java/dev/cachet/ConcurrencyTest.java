package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private final Cachet cachet = Cachet.builder().store(MemoryStore.create()).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(64);
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();

  @AfterEach
  void close() {
    pool.shutdownNow();
    cachet.close();
  }

  @RepeatedTest(5)
  void sixtyFourThreadsMissingOneKeyRunTheLoaderOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch allStarted = new CountDownLatch(64);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      results.add(pool.submit(() -> {
        allStarted.countDown();
        return cachet.get("hot", Codecs.utf8(), policy, () -> {
          loads.incrementAndGet();
          release.await(10, TimeUnit.SECONDS);
          return "value";
        });
      }));
    }
    assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
    // Every thread has started; those that reached the flight wait on it. Let the loader finish.
    release.countDown();
    for (Future<String> f : results) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("value");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void asyncMissesShareOneLoaderFuture() {
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> gate = new CompletableFuture<>();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      results.add(cachet.getAsync("a", Codecs.utf8(), policy, () -> {
        loads.incrementAndGet();
        return gate;
      }));
    }
    gate.complete("done");
    results.forEach(r -> assertThat(r.join()).isEqualTo("done"));
    assertThat(loads).hasValue(1);
  }

  @RepeatedTest(5)
  void aLoadRacingATagInvalidationIsNeverServedFreshAfterIt() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    Future<String> slow = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> {
      loading.countDown();
      invalidated.await(10, TimeUnit.SECONDS);
      return "old";
    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    cachet.invalidateTags("t");
    // After invalidateTags returned: a new caller must not join the old flight nor read its value.
    Future<String> after = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> "new"));
    assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("new");
    invalidated.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "newer")).isNotEqualTo("old");
  }

  @RepeatedTest(5)
  void aLoadRacingADeleteIsNotWrittenBack() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch deleted = new CountDownLatch(1);
    CachePolicy untagged = CachePolicy.ofTtl(Duration.ofMinutes(5));
    Future<String> slow = pool.submit(() -> cachet.get("k", Codecs.utf8(), untagged, () -> {
      loading.countDown();
      deleted.await(10, TimeUnit.SECONDS);
      return "old";
    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    cachet.delete("k");
    deleted.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
  }

  @Test
  void readsAndInvalidationsUnderLoadNeverServeAValueOlderThanTheLastInvalidation() throws Exception {
    // The writer bumps the data's generation, invalidates, then acknowledges. A reader that saw
    // acknowledgement n before it asked must get a value of generation n or newer.
    AtomicInteger generation = new AtomicInteger();
    AtomicInteger acknowledged = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(8);
    for (int r = 0; r < 8; r++) {
      pool.submit(() -> {
        try {
          for (int i = 0; i < 2_000; i++) {
            int floor = acknowledged.get();
            String v = cachet.get("g", Codecs.utf8(), policy, () -> String.valueOf(generation.get()));
            if (Integer.parseInt(v) < floor) {
              violations.incrementAndGet();
            }
          }
        } finally {
          done.countDown();
        }
        return null;
      });
    }
    for (int i = 0; i < 500; i++) {
      int next = generation.incrementAndGet();
      cachet.invalidateTags("t");
      acknowledged.set(next);
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(violations).hasValue(0);
  }
}
