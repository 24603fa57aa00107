package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two instances missing the same key at once load it once, serialized by a Redis lock. */
class DistributedSingleFlightIT {
  static final int THREADS_PER_INSTANCE = 16;

  static RedisStore store(RedisServerProcess server) {
    return RedisStore.builder()
        .uri(server.uri())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void concurrentMissesOnTwoInstancesRunTheLoaderOnce() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        Cachet one = Cachet.builder().store(store(server)).namespace("sf").maxWait(Duration.ofSeconds(30)).build();
        Cachet two = Cachet.builder().store(store(server)).namespace("sf").maxWait(Duration.ofSeconds(30)).build()) {
      CachePolicy policy =
          CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("catalog").distributedLock(true).build();
      AtomicInteger loads = new AtomicInteger();
      CountDownLatch loaderStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
      List<Future<String>> results = new ArrayList<>();
      try {
        for (Cachet cachet : List.of(one, two)) {
          for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
            results.add(pool.submit(() -> cachet.get("hot", Codecs.utf8(), policy, () -> {
              loads.incrementAndGet();
              loaderStarted.countDown();
              release.await(); // the load lasts until every caller of both instances has missed
              return "loaded";
            })));
          }
        }
        assertThat(loaderStarted.await(30, TimeUnit.SECONDS)).isTrue();
        Poll.until(Duration.ofSeconds(30), "all 32 callers to miss",
            () -> one.stats().misses() + two.stats().misses() == 2 * THREADS_PER_INSTANCE);
        release.countDown();
        for (Future<String> f : results) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
        }
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
      assertThat(loads.get()).isEqualTo(1);
      assertThat(one.get("hot", Codecs.utf8(), policy, () -> "again")).isEqualTo("loaded");
      assertThat(two.get("hot", Codecs.utf8(), policy, () -> "again")).isEqualTo("loaded");
    }
  }
}
