package dev.cachet.benchmarks.redis;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.redis.RedisStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.cache.Cache;
import org.springframework.data.redis.cache.BatchStrategies;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Times {@code Cachet.invalidateTags("t")} over a {@link RedisStore} when 10 entries carry the tag
 * and when 100,000 do, then Spring Data Redis's {@code RedisCache.clear()} over 100,000 keys of one
 * cache name, with the default {@code KEYS} batch strategy and with {@code SCAN} (count 1000), all
 * on the same Redis server. {@code RedisCache.invalidate()} is timed (it deletes before returning) and so
 * is {@code clear()} until the keys are gone (with Lettuce it returns before the deletion ends). Prints one line per figure.
 *
 * <p>Usage: {@code TagInvalidationVsClear <redis-port> [entries=100000] [invalidations=2000]
 * [clears=5]}. The server should be empty and dedicated to the run.
 */
public final class TagInvalidationVsClear {
  private static final byte[] VALUE = new byte[300];

  private TagInvalidationVsClear() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int invalidations = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    int clears = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    String uri = "redis://127.0.0.1:" + port;
    Arrays.fill(VALUE, (byte) 'x');
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofHours(1)).tags("t").build();

    try (RedisStore smallStore = RedisStore.builder().uri(uri).build();
        RedisStore largeStore = RedisStore.builder().uri(uri).build()) {
      Cachet small = Cachet.builder().store(smallStore).namespace("small").build();
      Cachet large = Cachet.builder().store(largeStore).namespace("large").build();
      fill(small, 10, policy);
      long start = System.nanoTime();
      fill(large, entries, policy);
      System.out.printf("filled: 10 and %,d tagged entries (%.1f s for the large fill)%n",
          entries, (System.nanoTime() - start) / 1e9);

      // Interleaved blocks, so that the machine's changing load falls on both alike.
      for (int i = 0; i < 200; i++) { // warm-up
        small.invalidateTags("t");
        large.invalidateTags("t");
      }
      long[] smallNanos = new long[invalidations];
      long[] largeNanos = new long[invalidations];
      int block = 100;
      for (int done = 0; done < invalidations; done += block) {
        int n = Math.min(block, invalidations - done);
        time(small, smallNanos, done, n);
        time(large, largeNanos, done, n);
      }
      check(small, "small");
      check(large, "large");
      report("cachet invalidateTags(\"t\"), 10 entries", smallNanos);
      report(String.format("cachet invalidateTags(\"t\"), %,d entries", entries), largeNanos);
      small.close();
      large.close();
    }

    RedisClient client = RedisClient.create(uri);
    LettuceConnectionFactory factory = new LettuceConnectionFactory(
        new RedisStandaloneConfiguration("127.0.0.1", port));
    factory.afterPropertiesSet();
    factory.start();
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(io.lettuce.core.codec.RedisCodec.of(
            io.lettuce.core.codec.StringCodec.UTF8, io.lettuce.core.codec.ByteArrayCodec.INSTANCE))) {
      RedisCommands<String, byte[]> redis = connection.sync();
      System.out.printf("keys in the server besides the cache: %,d%n", redis.dbsize());
      clears(redis, "spring-data-redis RedisCache, KEYS (default)",
          RedisCacheWriter.nonLockingRedisCacheWriter(factory), entries, clears);
      clears(redis, "spring-data-redis RedisCache, SCAN count 1000",
          RedisCacheWriter.nonLockingRedisCacheWriter(factory, BatchStrategies.scan(1000)), entries, clears);
    } finally {
      factory.destroy();
      client.shutdown();
    }
  }

  private static void fill(Cachet cachet, int entries, CachePolicy policy) throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          for (int i = first; i < entries; i += threads) {
            cachet.put("k" + i, VALUE, Codecs.bytes(), policy);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    if (cachet.getIfPresent("k0", Codecs.bytes()) == null) {
      throw new IllegalStateException("the fill did not store k0");
    }
  }

  private static void time(Cachet cachet, long[] nanos, int from, int n) {
    for (int i = from; i < from + n; i++) {
      long t0 = System.nanoTime();
      cachet.invalidateTags("t");
      nanos[i] = System.nanoTime() - t0;
    }
  }

  /** The invalidation must have taken effect: a tagged entry now reads as absent. */
  private static void check(Cachet cachet, String name) {
    if (cachet.getIfPresent("k1", Codecs.bytes()) != null) {
      throw new IllegalStateException(name + ": k1 survived the tag invalidation");
    }
  }

  private static void clears(RedisCommands<String, byte[]> redis, String label, RedisCacheWriter writer,
      int entries, int runs) {
    RedisCacheManager manager = RedisCacheManager.builder(writer).build();
    Cache cache = manager.getCache("bench");
    if (cache == null) {
      throw new IllegalStateException("no cache");
    }
    long[] invalidateNanos = new long[runs];
    long[] clearNanos = new long[runs];
    for (int r = 0; r < runs; r++) {
      long before = refill(redis, entries);
      long t0 = System.nanoTime();
      cache.invalidate();
      invalidateNanos[r] = System.nanoTime() - t0;
      gone(redis, label, entries, before);

      refill(redis, entries);
      // With Lettuce, clear() only starts the deletion (Spring's Cache.clear() may be deferred):
      // the time runs until the server no longer holds the keys.
      t0 = System.nanoTime();
      cache.clear();
      long returned = System.nanoTime() - t0;
      while (redis.dbsize() > before - entries) {
        Thread.onSpinWait();
      }
      clearNanos[r] = System.nanoTime() - t0;
      gone(redis, label, entries, before);
      System.out.printf("  %s run %d: invalidate() %.1f ms; clear() returned in %.2f ms, keys gone after %.1f ms"
          + " (server held %,d keys)%n", label, r + 1, invalidateNanos[r] / 1e6, returned / 1e6,
          clearNanos[r] / 1e6, before);
    }
    report(String.format("%s, invalidate(), %,d keys", label, entries), invalidateNanos);
    report(String.format("%s, clear() until the keys are gone, %,d keys", label, entries), clearNanos);
  }

  /** Writes the cache's keys afresh; returns the server's key count with them. */
  private static long refill(RedisCommands<String, byte[]> redis, int entries) {
    Map<String, byte[]> batch = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      batch.put("bench::k" + i, VALUE);
      if (batch.size() == 1_000 || i == entries - 1) {
        redis.mset(batch);
        batch.clear();
      }
    }
    return redis.dbsize();
  }

  private static void gone(RedisCommands<String, byte[]> redis, String label, int entries, long before) {
    if (redis.exists("bench::k0", "bench::k" + (entries - 1)) != 0 || redis.dbsize() != before - entries) {
      throw new IllegalStateException(label + ": keys survived");
    }
  }

  private static void report(String label, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2] / 1e6;
    double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
    System.out.printf("RESULT | %s | %d | %.3f | %.3f | %.3f |%n", label, sorted.length, median, p99,
        sorted[sorted.length - 1] / 1e6);
  }
}
