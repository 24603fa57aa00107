package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances, A and B, on one real Redis (standalone in {@link LateNearPushIT}, a cluster in
 * {@link ClusterLateNearPushIT}): B invalidates a tag and reloads a key while the push
 * that would evict A's near copy of that key is late. A's copy then lags behind Redis; A must not
 * count a miss and load again because of it, neither on a read nor in the distributed lock's
 * re-check. The push is made late deterministically by holding it back in A's near cache
 * ({@link PushHold}) until the test releases it: only the push of the entry key is held, so the
 * tag version's own push still evicts A's copy of the version, as in the race seen over HTTP.
 */
abstract class LateNearPushCases {
  static final Duration BOUND = Duration.ofSeconds(10);

  RedisStore storeA;
  RedisStore storeB;
  Cachet a;
  Cachet b;
  String ns;
  String entryKey;
  String versionKey;
  final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void open() {
    ns = "late" + UUID.randomUUID().toString().substring(0, 8);
    storeA = store();
    storeB = store();
    a = Cachet.builder().store(storeA).namespace(ns).maxWait(Duration.ofSeconds(30)).build();
    b = Cachet.builder().store(storeB).namespace(ns).maxWait(Duration.ofSeconds(30)).build();
    entryKey = ns + ":k:K";
    versionKey = ns + ":t:t";
  }

  @AfterEach
  void close() {
    storeA.nearCache().releasePushes();
    a.close();
    b.close();
    storeA.close();
    storeB.close();
  }

  /** A store with its own connections (an instance), its near cache in use. */
  abstract RedisStore store();

  static CachePolicy policy(boolean lock) {
    return CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").distributedLock(lock).build();
  }

  CacheResult<String> fetch(Cachet cachet, CachePolicy policy, String value) {
    return cachet.fetch("K", Codecs.utf8(), policy, () -> {
      loads.incrementAndGet();
      return Loaded.of(value);
    });
  }

  /** A loads E1 and then holds it in its near cache, with the tag's version; K's pushes are held. */
  void aHoldsANearCopyOfE1(CachePolicy policy) {
    assertThat(fetch(a, policy, "E1").status()).isEqualTo(Status.MISS);
    NearCache near = storeA.nearCache();
    // Read from Redis and kept; the push of A's own write evicts what a read racing it fetched.
    Poll.until(BOUND, "A to keep K and its version", () -> {
      assertThat(fetch(a, policy, "E1").status()).isEqualTo(Status.HIT);
      return near.cached(entryKey) instanceof byte[] && near.cached(versionKey) instanceof Long;
    });
    near.pushHold.hold(entryKey::equals);
  }

  /** B invalidates the tag; its push reaches A's near copy of the version. */
  void bInvalidatesTheTag() {
    b.invalidateTags(List.of("t"));
    Poll.until(BOUND, "the version's push to evict A's copy",
        () -> storeA.nearCache().cached(versionKey) == null);
  }

  /** B's write of K has reached A as a push, which A's near cache holds back. */
  void bsWriteIsPushedButHeld() {
    Poll.until(BOUND, "the push of B's write to reach A",
        () -> storeA.nearCache().pushHold.held().contains(entryKey));
  }

  /** What A's near cache holds for K: the entry's bytes as text (its value is readable there). */
  String nearEntry() {
    Object cached = storeA.nearCache().cached(entryKey);
    assertThat(cached).isInstanceOf(byte[].class);
    return new String((byte[]) cached, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aReadPairingANearCopyWithANewVersionReadsTheEntryFromRedis() {
    aHoldsANearCopyOfE1(policy(false));
    bInvalidatesTheTag();
    assertThat(fetch(b, policy(false), "E2").status()).isEqualTo(Status.MISS);
    bsWriteIsPushedButHeld();
    assertThat(nearEntry()).contains("E1");
    loads.set(0);

    CacheResult<String> onA = fetch(a, policy(false), "E3");

    assertThat(onA.status()).isEqualTo(Status.HIT);
    assertThat(onA.value()).isEqualTo("E2");
    assertThat(loads).hasValue(0);
    // The near copy was refreshed from Redis: the next read is local and a HIT again.
    assertThat(nearEntry()).contains("E2");
    assertThat(fetch(a, policy(false), "E4").value()).isEqualTo("E2");
    assertThat(loads).hasValue(0);
  }

  /**
   * The other order: the version's push is late, the entry's is not. A reads B's reload from
   * Redis but pairs it with its old copy of the version; that answer is partly the copy's, so it
   * is confirmed with Redis before a miss is counted.
   */
  @Test
  void anEntryFromRedisPairedWithANearCopyOfAnOldVersionIsConfirmed() {
    CachePolicy policy = policy(false);
    assertThat(fetch(a, policy, "E1").status()).isEqualTo(Status.MISS);
    NearCache near = storeA.nearCache();
    Poll.until(BOUND, "A to keep the tag's version", () -> {
      fetch(a, policy, "E1");
      return near.cached(versionKey) instanceof Long;
    });
    near.pushHold.hold(versionKey::equals);
    b.invalidateTags(List.of("t"));
    Poll.until(BOUND, "the version's push to reach A", () -> near.pushHold.held().contains(versionKey));
    assertThat(fetch(b, policy, "E2").status()).isEqualTo(Status.MISS);
    Poll.until(BOUND, "the push of B's write to evict A's copy of K", () -> near.cached(entryKey) == null);
    loads.set(0);

    CacheResult<String> onA = fetch(a, policy, "E3");

    assertThat(onA.status()).isEqualTo(Status.HIT);
    assertThat(onA.value()).isEqualTo("E2");
    assertThat(loads).hasValue(0);
  }

  @Test
  void aStaleNearCopyWithNearCachedVersionsIsConfirmedWithRedis() {
    aHoldsANearCopyOfE1(policy(false));
    bInvalidatesTheTag();
    // A reads the new version into its near cache through another key of the tag.
    assertThat(a.get("other", Codecs.utf8(), policy(false), () -> "O")).isEqualTo("O");
    assertThat(storeA.nearCache().cached(versionKey)).isInstanceOf(Long.class);
    assertThat(fetch(b, policy(false), "E2").status()).isEqualTo(Status.MISS);
    bsWriteIsPushedButHeld();
    assertThat(nearEntry()).contains("E1");
    loads.set(0);

    CacheResult<String> onA = fetch(a, policy(false), "E3");

    assertThat(onA.status()).isEqualTo(Status.HIT);
    assertThat(onA.value()).isEqualTo("E2");
    assertThat(loads).hasValue(0);
  }

  @Test
  void theLockReCheckReadsPastAStaleNearCopy() throws Exception {
    aHoldsANearCopyOfE1(policy(true));
    bInvalidatesTheTag();
    concurrentMissesLoadOnce();
  }

  @Test
  void theLockReCheckReadsPastANearCopyOfTheAbsence() throws Exception {
    assertThat(a.getIfPresent("K", Codecs.utf8())).isNull();
    assertThat(storeA.nearCache().cached(entryKey)).isSameAs(NearCache.ABSENT);
    storeA.nearCache().pushHold.hold(entryKey::equals);
    concurrentMissesLoadOnce();
  }

  /**
   * B misses and loads under the lock; A misses while B's loader runs and waits for the lock; B's
   * write reaches A's near cache only as a held push. The loader runs once, on B.
   */
  void concurrentMissesLoadOnce() throws Exception {
    loads.set(0);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Two threads of its own: the common pool may have one worker (2 CPUs), which B's held
    // loader would occupy, so that A's read never started (JDK 25 queues both there).
    ExecutorService callers = Executors.newFixedThreadPool(2);
    CompletableFuture<CacheResult<String>> onB = CompletableFuture.supplyAsync(() ->
        b.fetch("K", Codecs.utf8(), policy(true), () -> {
          loads.incrementAndGet();
          loading.countDown();
          release.await();
          return Loaded.of("E2");
        }), callers);
    try {
      assertThat(loading.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      long missesBefore = a.stats().misses();
      CompletableFuture<CacheResult<String>> onA =
          CompletableFuture.supplyAsync(() -> fetch(a, policy(true), "E3"), callers);
      // A has missed: it is loading (the bug) or waiting for B's lock.
      Poll.until(BOUND, "A to miss", () -> a.stats().misses() == missesBefore + 1);
      release.countDown();
      assertThat(onB.get(BOUND.toSeconds(), TimeUnit.SECONDS).value()).isEqualTo("E2");
      bsWriteIsPushedButHeld();
      assertThat(onA.get(BOUND.toSeconds(), TimeUnit.SECONDS).value()).isEqualTo("E2");
      assertThat(loads).hasValue(1);
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }
}
