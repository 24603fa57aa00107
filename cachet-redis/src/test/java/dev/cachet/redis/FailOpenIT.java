package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A Cachet on Redis keeps answering, fast, while the server is down, and recovers by itself. */
class FailOpenIT {
  static final Duration TIMEOUT = Duration.ofMillis(250); // the store's default command timeout
  static final int THREADS = 4;
  static final int CALLS = 2000;

  @Test
  void aKilledServerCostsCallersNothingAndTheCacheRecoversAfterARestart() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      MutableClock breakerClock = new MutableClock();
      RedisStore store = RedisStore.builder()
          .uri(server.uri())
          .connectTimeout(Duration.ofSeconds(5))
          .clock(breakerClock)
          .build();
      CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
      try (Cachet cachet = Cachet.builder().store(store).namespace("failopen").build()) {
        for (int k = 0; k < 50; k++) {
          int key = k;
          cachet.get("k" + k, Codecs.utf8(), policy, () -> "v" + key);
        }

        CountDownLatch warmedUp = new CountDownLatch(THREADS);
        CountDownLatch killed = new CountDownLatch(1);
        AtomicLong downNanos = new AtomicLong();
        AtomicLong downCalls = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        long[][] samples = new long[THREADS][CALLS - 200];
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(pool.submit(() -> {
            int wrong = 0;
            for (int i = 0; i < CALLS; i++) {
              if (i == 200) {
                warmedUp.countDown();
                killed.await(); // every call from here on runs against a dead server
              }
              int key = i % 50;
              long start = System.nanoTime();
              String value = cachet.get("k" + key, Codecs.utf8(), policy, () -> "v" + key);
              long took = System.nanoTime() - start;
              if (i >= 200) {
                downNanos.addAndGet(took);
                downCalls.incrementAndGet();
                slowest.accumulateAndGet(took, Math::max);
                samples[thread][i - 200] = took;
              }
              if (!("v" + key).equals(value)) {
                wrong++;
              }
            }
            return wrong;
          }));
        }
        assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
        server.kill();
        long downSince = System.nanoTime();
        killed.countDown();
        int wrong = 0;
        for (Future<Integer> f : results) {
          wrong += f.get(60, TimeUnit.SECONDS); // an exception reaching a caller fails here
        }
        Duration batch = Duration.ofNanos(System.nanoTime() - downSince);
        pool.shutdown();
        assertThat(wrong).isZero();
        assertThat(downCalls.get()).isEqualTo((long) THREADS * (CALLS - 200));
        long[] all = java.util.Arrays.stream(samples).flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        long median = all[all.length / 2];
        System.out.printf(
            "fail-open: %d calls on %d threads with the server down: batch %d ms wall clock; per call"
                + " p50 %.1f us, p99 %.1f us, max %.1f ms (sum %.0f ms); circuit %s, %d store errors%n",
            downCalls.get(), THREADS, batch.toMillis(), median / 1e3, all[(int) (all.length * 0.99)] / 1e3,
            slowest.get() / 1e6, downNanos.get() / 1e6, store.circuitState(), cachet.stats().storeErrors());
        // 7,200 calls that each waited for a timeout would take 7,200 x 250 ms.
        assertThat(batch).isLessThan(TIMEOUT.multipliedBy(20));
        assertThat(Duration.ofNanos(median)).isLessThan(Duration.ofMillis(1));
        assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.OPEN);

        // Recovery: the same Cachet serves hits again once the server is back.
        server.restart();
        long restarted = System.nanoTime();
        Poll.until(Duration.ofSeconds(15), "the cache to serve hits again", () -> {
          breakerClock.advance(Duration.ofSeconds(6)); // past the open period: let a probe through
          CacheResult<String> r =
              cachet.fetch("k1", Codecs.utf8(), policy, () -> Loaded.of("v1"));
          return r.status() == CacheResult.Status.HIT;
        });
        System.out.printf("fail-open: hits served again %.0f ms after the restart%n",
            (System.nanoTime() - restarted) / 1e6);
        assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.CLOSED);
      }
    }
  }
}
