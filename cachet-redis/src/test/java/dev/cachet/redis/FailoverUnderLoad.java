package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Sentinel failover while requests run, checked on a {@link SentinelGroup}: no request fails (a
 * store failure is a miss, and the loader's value is returned), the store finds the new master by
 * itself, its writes land there, and its near cache serves nothing the new master has changed.
 * Used by {@link SentinelFailoverIT} (plain TCP) and {@link SentinelTlsIT} (TLS).
 */
final class FailoverUnderLoad {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);
  /** From the fault until every Sentinel names the replica as the master. */
  static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);
  /**
   * From every Sentinel naming the new master until the store reads and writes there. A Sentinel
   * demotes an old master that is still up only some 10 s after the switch (it waits, then
   * reconfigures it on its next {@code INFO}); a store that waited for that would fail here.
   */
  static final Duration SWITCH_BOUND = Duration.ofSeconds(5);
  /**
   * The circuit breaker's open period: 1 s instead of the default 5 s keeps a measured figure
   * about the failover rather than the breaker.
   */
  static final Duration OPEN = Duration.ofSeconds(1);
  static final int THREADS = 2;
  static final int KEYS = 20;

  private FailoverUnderLoad() {}

  /**
   * Builds a store with {@code builder} (which names the group and, for TLS, the trust), runs
   * requests, injects {@code fault} and checks the store through the failover that follows.
   *
   * @param promoted the server the Sentinels are expected to promote
   * @param breakerClock the circuit breaker's clock, advanced past the open period at each check
   *     after the fault, so that an open circuit never holds the store back; {@code null} for the
   *     system clock, whose open periods the measured figures then include
   */
  static void check(
      SentinelGroup group, RedisServerProcess promoted, RedisStoreBuilder builder,
      @Nullable MutableClock breakerClock, String fault, Runnable inject, boolean nearCache)
      throws Exception {
    RedisAdmin next = group.admin(promoted);
    builder.connectTimeout(Duration.ofSeconds(2)).circuitBreaker(5, OPEN);
    if (breakerClock != null) {
      builder.clock(breakerClock);
    }
    if (!nearCache) {
      builder.nearCache(false);
    }
    Runnable tick = breakerClock == null ? () -> { } : () -> breakerClock.advance(OPEN);
    RedisStore store = builder.build();
    String ns = "fo" + UUID.randomUUID().toString().substring(0, 8);
    String p = ns + ":probe:";
    try (store; Cachet cachet = Cachet.builder().store(store).namespace(ns).build()) {
      Poll.until(BOUND, "client tracking on", () -> {
        store.get(ns + ":warm-up"); // the namespace's prefix, tracked from then on
        return !nearCache || store.nearCache().tracking();
      });
      CachePolicy policy = CachePolicy.builder().ttl(TTL).tags("t").build();
      for (int k = 0; k < KEYS; k++) {
        String expected = "v" + k;
        assertThat(cachet.get("k" + k, Codecs.utf8(), policy, () -> expected)).isEqualTo(expected);
      }
      // Two values read (and near-cached) before the fault: one the new master will change while the
      // store may still be on the old one, one it keeps.
      store.put(p + "changed", bytes("old"), TTL);
      store.put(p + "same", bytes("same"), TTL);
      assertThat(store.get(p + "changed")).isEqualTo(bytes("old"));
      assertThat(store.get(p + "same")).isEqualTo(bytes("same"));
      if (nearCache) {
        NearCacheTracking.readUntilCached(store, List.of(p + "changed"));
        assertThat(store.nearCache().cached(p + "changed")).isEqualTo(bytes("old"));
      }
      Poll.until(BOUND, "the replica to hold the probes",
          () -> "same".equals(next.redis().get(p + "same")) && "old".equals(next.redis().get(p + "changed")));

      Load load = new Load(cachet, policy);
      load.start();
      long faultAt;
      long switched;
      long seen;
      long written;
      try {
        Poll.until(BOUND, "the load to run", () -> load.calls.get() > 500);
        faultAt = System.nanoTime();
        load.faultAt.set(faultAt);
        inject.run();
        Poll.until(FAILOVER_BOUND, "every Sentinel to name the replica as the master",
            ticking(tick, () -> group.everySentinelNames(promoted)));
        switched = System.nanoTime();

        next.redis().set(p + "changed", "new");
        Poll.until(FAILOVER_BOUND, "the store to read the value changed on the new master",
            ticking(tick, () -> Arrays.equals(quietly(() -> store.get(p + "changed")), bytes("new"))));
        seen = System.nanoTime();

        AtomicInteger n = new AtomicInteger();
        Poll.until(FAILOVER_BOUND, "a write of the store to land on the new master", ticking(tick, () -> {
          String value = "w" + n.incrementAndGet();
          return quietly(() -> {
            store.put(p + "write", bytes(value), TTL);
            return true;
          }) != null && value.equals(next.redis().get(p + "write"));
        }));
        written = System.nanoTime();

        // Requests are served from the cache again: many calls in a row without a load.
        Poll.until(FAILOVER_BOUND, "requests to be hits again",
            ticking(tick, () -> load.calls.get() - load.callsAtLastLoad.get() > 1000));
      } finally {
        load.stop();
      }

      System.out.printf(
          "sentinel failover (%s): Sentinels named the new master %d ms after the fault; the store"
              + " read a value changed there %d ms and wrote there %d ms after that; %d of %d"
              + " requests served by the loader, from +%d ms to +%d ms; %d store errors%n",
          fault, ms(switched - faultAt), ms(seen - switched), ms(written - switched),
          load.loadsAfterFault.get(), load.calls.get(),
          load.firstLoad.get() == Long.MAX_VALUE ? 0 : ms(load.firstLoad.get() - faultAt),
          load.lastLoad.get() == 0 ? 0 : ms(load.lastLoad.get() - faultAt),
          cachet.stats().storeErrors());
      assertThat(load.failure.get()).as("a request failed").isNull();
      assertThat(load.wrong.get()).as("requests answered a wrong value").isZero();
      assertThat(Duration.ofNanos(seen - switched)).isLessThan(SWITCH_BOUND);
      assertThat(Duration.ofNanos(written - switched)).isLessThan(SWITCH_BOUND);

      // Afterwards: the near cache is filled from the new master and kept coherent with it.
      tick.run();
      assertThat(store.get(p + "same")).isEqualTo(bytes("same"));
      next.redis().set(p + "after", "1");
      Poll.until(BOUND, "the store to cache a value of the new master",
          () -> Arrays.equals(quietly(() -> store.get(p + "after")), bytes("1"))
              && (!nearCache || store.nearCache().cached(p + "after") != null));
      next.redis().set(p + "after", "2");
      Poll.until(BOUND, "an invalidation from the new master",
          () -> Arrays.equals(store.get(p + "after"), bytes("2")));
      // Tag versions are written to and read from the new master.
      cachet.invalidateTags("t");
      assertThat(cachet.get("k1", Codecs.utf8(), policy, () -> "reloaded")).isEqualTo("reloaded");
      assertThat(cachet.get("k1", Codecs.utf8(), policy, () -> "unexpected")).isEqualTo("reloaded");
    }
  }

  /** {@code condition}, with {@code tick} run before each check. */
  private static BooleanSupplier ticking(Runnable tick, BooleanSupplier condition) {
    return () -> {
      tick.run();
      return condition.getAsBoolean();
    };
  }

  /** Requests on {@link #THREADS} threads, each checked against the loader's value. */
  private static final class Load {
    final Cachet cachet;
    final CachePolicy policy;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicLong faultAt = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong loadsAfterFault = new AtomicLong();
    final AtomicLong firstLoad = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastLoad = new AtomicLong();
    final AtomicLong callsAtLastLoad = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    final List<Future<?>> running = new ArrayList<>();

    Load(Cachet cachet, CachePolicy policy) {
      this.cachet = cachet;
      this.policy = policy;
    }

    void start() {
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        running.add(pool.submit(() -> {
          for (int i = offset; !stop.get(); i++) {
            String key = "k" + (i % KEYS);
            String expected = "v" + (i % KEYS);
            try {
              String value = cachet.get(key, Codecs.utf8(), policy, () -> loaded(expected));
              if (!expected.equals(value)) {
                wrong.incrementAndGet();
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
            calls.incrementAndGet();
            // Near-cache hits take microseconds: unpaced, two threads would take the CPUs the
            // Redis and Sentinel processes need to fail over on a small machine.
            LockSupport.parkNanos(50_000);
          }
        }));
      }
    }

    private String loaded(String value) {
      long now = System.nanoTime();
      if (now - faultAt.get() >= 0) {
        loadsAfterFault.incrementAndGet();
        firstLoad.accumulateAndGet(now, Math::min);
        lastLoad.accumulateAndGet(now, Math::max);
      }
      callsAtLastLoad.set(calls.get());
      return value;
    }

    void stop() throws Exception {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
    }
  }

  /** {@code call}'s result, or {@code null} if the store failed it. */
  private static <T> @Nullable T quietly(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException storeFailed) {
      return null;
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
