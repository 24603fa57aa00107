package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Coherence of the near caches of two stores (two connections, as two instances) on one server. */
class NearCacheIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(2);
  /** Propagation samples taken before the figure is recorded (JIT, connection warm-up). */
  static final int WARM_UP = 100;

  @RegisterExtension static final SharedRedis redis = new SharedRedis();

  RedisStore a;
  RedisStore b;
  String p;

  RedisStore store() {
    return store(redis.storeBuilder());
  }

  /** A store built by {@code builder}, once its near cache tracks the test's keys. */
  RedisStore store(RedisStoreBuilder builder) {
    return NearCacheTracking.awaited(builder.build(), BOUND, p);
  }

  @BeforeEach
  void open() {
    p = "n" + UUID.randomUUID().toString().substring(0, 8) + ":";
    a = store();
    b = store();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void nearCacheIsOnByDefaultOnAStandaloneServer() {
    assertThat(a.hasNearCache()).isTrue();
    a.put(p + "k", bytes("v"), TTL);
    assertThat(a.get(p + "k")).isEqualTo(bytes("v"));
    NearCacheTracking.readUntilCached(a, List.of(p + "k"));
    assertThat(a.nearCache().cached(p + "k")).isEqualTo(bytes("v"));
  }

  @Test
  void versionBumpsReachTheOtherInstanceWithinTheBound() {
    String key = p + "t:users";
    List<Long> nanos = new ArrayList<>();
    for (long v = 1; v <= 400; v++) {
      long old = b.getVersions(List.of(key))[0];
      assertThat(old).isEqualTo(v - 1);
      assertThat(b.nearCache().cached(key)).isEqualTo(v == 1 ? NearCache.ABSENT : (Object) (v - 1));
      a.setVersion(key, v, TTL);
      long start = System.nanoTime();
      long target = v;
      spinUntil(() -> b.getVersions(List.of(key))[0] == target);
      if (v > WARM_UP) {
        nanos.add(System.nanoTime() - start);
      }
    }
    report("version bump A->B", nanos);
  }

  @Test
  void entryWritesReachTheOtherInstanceWithinTheBound() {
    String key = p + "k:item";
    List<Long> nanos = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      byte[] old = b.get(key);
      assertThat(old).isEqualTo(i == 1 ? null : bytes("v" + (i - 1)));
      a.put(key, bytes("v" + i), TTL);
      long start = System.nanoTime();
      byte[] expected = bytes("v" + i);
      spinUntil(() -> Arrays.equals(b.get(key), expected));
      if (i > WARM_UP) {
        nanos.add(System.nanoTime() - start);
      }
    }
    report("entry write A->B", nanos);
  }

  @Test
  void aCachedAbsenceIsInvalidatedWhenTheKeyIsCreated() {
    assertThat(b.get(p + "later")).isNull();
    assertThat(b.nearCache().cached(p + "later")).isSameAs(NearCache.ABSENT);
    a.put(p + "later", bytes("now"), TTL);
    Poll.until(BOUND, "b to see the new key", () -> Arrays.equals(b.get(p + "later"), bytes("now")));
  }

  /**
   * A flood of reads of keys that do not exist (requests for ever-new paths, answered 404)
   * leaves the server's tracking table empty: in BCAST mode it holds the prefix, not the keys.
   * In the default mode it held every key read, in {@code maxmemory}, with no bound by default.
   */
  @Test
  void missesLeaveNoKeyInTheServersTrackingTable() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(a.get(p + "k:missing-" + i)).isNull();
    }
    assertThat(a.nearCache().cached(p + "k:missing-9999")).isSameAs(NearCache.ABSENT);
    String stats = redis.admin.redis().info("stats");
    assertThat(infoField(stats, "tracking_total_keys")).isZero();
    assertThat(infoField(stats, "tracking_total_prefixes")).isPositive();
    // Absences stay coherent without the table: a write under the prefix is broadcast.
    assertThat(b.get(p + "k:missing-9999")).isNull();
    assertThat(b.nearCache().cached(p + "k:missing-9999")).isSameAs(NearCache.ABSENT);
    a.put(p + "k:missing-9999", bytes("found"), TTL);
    Poll.until(BOUND, "b to see the key it read as missing",
        () -> Arrays.equals(b.get(p + "k:missing-9999"), bytes("found")));
  }

  private static long infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + field + " in INFO: " + info);
  }

  /** A key without a prefix ({@code :}) is never near-cached: no prefix could broadcast it. */
  @Test
  void aKeyWithoutAPrefixIsReadFromRedisEveryTime() {
    String key = p.substring(0, p.length() - 1) + "-plain";
    a.put(key, bytes("1"), TTL);
    assertThat(a.get(key)).isEqualTo(bytes("1"));
    assertThat(a.nearCache().cached(key)).isNull();
    long gets = redis.admin.calls("get");
    assertThat(a.get(key)).isEqualTo(bytes("1"));
    assertThat(redis.admin.calls("get")).isEqualTo(gets + 1);
    b.put(key, bytes("2"), TTL);
    assertThat(a.get(key)).isEqualTo(bytes("2"));
  }

  /**
   * A prefix first met after tracking is on (a second namespace on the same store) restarts
   * tracking with it: its keys are then near-cached and kept coherent like the first one's.
   */
  @Test
  void aPrefixMetLaterIsTrackedAndKeptCoherent() {
    String q = "m" + p;
    assertThat(a.get(q + "k:x")).isNull();
    assertThat(a.nearCache().prefixes()).contains(p, q);
    Poll.until(BOUND, "tracking acknowledged again, with the new prefix", () -> {
      a.get(q + "k:x");
      return a.nearCache().cached(q + "k:x") == NearCache.ABSENT;
    });
    b.put(q + "k:x", bytes("v"), TTL);
    Poll.until(BOUND, "a to see the new key", () -> Arrays.equals(a.get(q + "k:x"), bytes("v")));
    b.put(p + "k:y", bytes("w"), TTL);
    Poll.until(BOUND, "the first prefix still broadcast", () -> Arrays.equals(a.get(p + "k:y"), bytes("w")));
  }

  @Test
  void deletesAndExpiryReachTheOtherInstance() {
    a.put(p + "gone", bytes("x"), TTL);
    a.put(p + "short", bytes("y"), Duration.ofMillis(50));
    assertThat(b.get(p + "gone")).isEqualTo(bytes("x"));
    assertThat(b.get(p + "short")).isEqualTo(bytes("y"));
    a.delete(p + "gone");
    Poll.until(BOUND, "b to see the delete", () -> b.get(p + "gone") == null);
    // Redis expires the key by itself and pushes the invalidation when it reclaims it.
    Poll.until(BOUND, "b to see the expiry", () -> b.get(p + "short") == null);
  }

  @Test
  void ownWritesAreReadBackAtOnce() {
    String key = p + "mine";
    a.setVersion(key, 1, TTL);
    assertThat(a.getVersions(List.of(key))).containsExactly(1L);
    a.setVersion(key, 2, TTL);
    assertThat(a.getVersions(List.of(key))).containsExactly(2L);
    a.put(key + ":e", bytes("1"), TTL);
    assertThat(a.get(key + ":e")).isEqualTo(bytes("1"));
    a.put(key + ":e", bytes("2"), TTL);
    assertThat(a.get(key + ":e")).isEqualTo(bytes("2"));
  }

  @Test
  void flushAllEmptiesTheNearCache() {
    a.put(p + "f1", bytes("1"), TTL);
    a.setVersion(p + "f2", 5, TTL);
    assertThat(b.get(p + "f1")).isEqualTo(bytes("1"));
    assertThat(b.getVersions(List.of(p + "f2"))).containsExactly(5L);
    NearCacheTracking.readUntilCached(b, List.of(p + "f1"));
    redis.admin.redis().flushall();
    Poll.until(BOUND, "the flush to empty b's near cache",
        () -> b.nearCache().cached(p + "f1") == null && b.nearCache().cached(p + "f2") == null);
    assertThat(b.get(p + "f1")).isNull();
    assertThat(b.getVersions(List.of(p + "f2"))).containsExactly(0L);
  }

  @Test
  void readersRacingWritesConvergeOnTheLastValue() throws Exception {
    String key = p + "race";
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    ExecutorService readers = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      running.add(readers.submit(() -> {
        while (!stop.get()) {
          b.getVersions(List.of(key));
          reads.incrementAndGet();
        }
      }));
    }
    try {
      for (long v = 1; v <= 2000; v++) {
        a.setVersion(key, v, TTL);
      }
    } finally {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(10, TimeUnit.SECONDS);
      }
      readers.shutdown();
    }
    assertThat(reads.get()).isPositive();
    // A reply overtaken by an invalidation must never stay cached: b converges and stays there.
    Poll.until(BOUND, "b to converge", () -> b.getVersions(List.of(key))[0] == 2000L);
    assertThat(b.nearCache().cached(key)).isEqualTo(2000L);
  }

  @Test
  void aHitWithTagsIsServedWithoutAnyRoundTrip() {
    // A ticker that stands still: the lease never lapses, so no read is sent for that reason.
    RedisStore store = store(redis.storeBuilder().ticker(new FakeTicker()));
    try (Cachet cachet = Cachet.builder().store(store).namespace(p.substring(0, p.length() - 1)).build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users", "orgs").build();
      // Miss, then two reads that refill the near cache: this instance's own writes (the entry,
      // the created versions) are also invalidated by the server, just after their reply.
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v1")).isEqualTo("v1");
      }
      long gets = redis.admin.calls("get");
      long mgets = redis.admin.calls("mget");
      for (int i = 0; i < 100; i++) {
        assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "never")).isEqualTo("v1");
      }
      assertThat(redis.admin.calls("get")).isEqualTo(gets);
      assertThat(redis.admin.calls("mget")).isEqualTo(mgets);
      assertThat(cachet.stats().hits()).isGreaterThanOrEqualTo(101);
    }
  }

  @Test
  void tagInvalidationOnOneInstanceIsSeenByTheOther() {
    String ns = p.substring(0, p.length() - 1);
    try (Cachet one = Cachet.builder().store(store()).namespace(ns).build();
        Cachet two = Cachet.builder().store(store()).namespace(ns).build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users").build();
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "old")).isEqualTo("old");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "unused")).isEqualTo("old");
      one.invalidateTags("users");
      Poll.until(BOUND, "two to see the invalidation",
          () -> "new".equals(two.get("u:1", Codecs.utf8(), tagged, () -> "new")));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Polls without pausing, for a precise figure; fails past {@link #BOUND}. */
  static void spinUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not propagated within " + BOUND);
      }
      Thread.yield();
    }
  }

  static void report(String what, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    System.out.printf(
        "near-cache propagation (%s, %d samples): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        what, sorted.size(), sorted.get(sorted.size() / 2) / 1e6,
        sorted.get((int) (sorted.size() * 0.99)) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    assertThat(sorted.get(sorted.size() - 1)).isLessThan(BOUND.toNanos());
  }
}
