package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.testing.LocalServerProcess;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import io.lettuce.core.RedisCommandTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis-specific behaviour: data layout, scripts, statistics, connection life cycle. */
class RedisStoreIT {
  static final Duration TTL = Duration.ofMinutes(5);

  @RegisterExtension static final SharedRedis redis = new SharedRedis();
  String p;

  @BeforeEach
  void prefix() {
    p = "r" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  static RedisStoreBuilder builder(RedisServerProcess on) {
    return RedisStore.builder()
        .uri(on.uri())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(redis.resources);
  }

  @Test
  void versionsAreDecimalIntegersWithTheGivenTtl() {
    try (RedisStore store = builder(redis.server).build()) {
      store.setVersion(p + "v", -7, Duration.ofSeconds(100));
      assertThat(redis.admin.redis().get(p + "v")).isEqualTo("-7");
      assertThat(redis.admin.redis().pttl(p + "v")).isBetween(1L, 100_000L);
      assertThat(store.setVersionIfAbsent(p + "w", Long.MIN_VALUE, Duration.ofSeconds(50))).isEqualTo(Long.MIN_VALUE);
      assertThat(redis.admin.redis().get(p + "w")).isEqualTo(Long.toString(Long.MIN_VALUE));
      assertThat(redis.admin.redis().pttl(p + "w")).isBetween(1L, 50_000L);
      redis.admin.redis().set(p + "x", "41");
      assertThat(store.getVersions(List.of(p + "x"))).containsExactly(41L);
    }
  }

  @Test
  void versionsSetTogetherKeepThoseThatExist() {
    try (RedisStore store = builder(redis.server).build()) {
      store.setVersion(p + "b", 7, TTL);
      assertThat(store.setVersionsIfAbsent(List.of(p + "a", p + "b", p + "c"), new long[] {1, 2, -3},
          Duration.ofSeconds(50))).containsExactly(1, 7, -3);
      assertThat(redis.admin.redis().get(p + "c")).isEqualTo("-3");
      assertThat(redis.admin.redis().pttl(p + "a")).isBetween(1L, 50_000L);
    }
  }

  @Test
  void touchingVersionsExtendsThoseThatExistAndCreatesNone() {
    try (RedisStore store = builder(redis.server).build()) {
      store.setVersion(p + "used", 5, Duration.ofSeconds(10));
      store.touchVersions(List.of(p + "used", p + "absent"), Duration.ofSeconds(500));
      assertThat(redis.admin.redis().pttl(p + "used")).isBetween(10_001L, 500_000L);
      assertThat(redis.admin.redis().get(p + "used")).isEqualTo("5");
      assertThat(redis.admin.redis().exists(p + "absent")).isZero();
    }
  }

  @Test
  void aValueThatIsNotAVersionReadsAsAbsentAndIsReplaced() {
    try (RedisStore store = builder(redis.server).build()) {
      redis.admin.redis().set(p + "v", "garbage");
      assertThat(store.getVersions(List.of(p + "v"))).containsExactly(0L);
      assertThat(store.setVersionIfAbsent(p + "v", 9, TTL)).isEqualTo(9);
      assertThat(redis.admin.redis().get(p + "v")).isEqualTo("9");
      // What the script keeps is what Java reads: integers Java cannot read are replaced.
      for (String foreign : List.of("0", "-0", "00", "007", "9223372036854775808", "-9223372036854775809",
          "99999999999999999999")) {
        redis.admin.redis().set(p + "f", foreign);
        long stored = store.setVersionIfAbsent(p + "f", 5, TTL);
        long read = store.getVersions(List.of(p + "f"))[0];
        assertThat(stored).as(foreign).isEqualTo(read).isNotZero();
      }
      for (String kept : List.of("9223372036854775807", "-9223372036854775808", "12")) {
        redis.admin.redis().set(p + "k", kept);
        assertThat(store.setVersionIfAbsent(p + "k", 5, TTL)).as(kept).isEqualTo(Long.parseLong(kept));
      }
    }
  }

  @Test
  void scriptsRunAgainAfterTheServerForgetsThem() {
    try (RedisStore store = builder(redis.server).build()) {
      assertThat(store.tryLock(p + "l", "a", Duration.ofSeconds(30))).isTrue();
      redis.admin.redis().scriptFlush(); // as after a restart or failover: EVALSHA answers NOSCRIPT
      store.unlock(p + "l", "a");
      assertThat(redis.admin.redis().exists(p + "l")).isZero();
      redis.admin.redis().scriptFlush();
      assertThat(store.setVersionIfAbsent(p + "v", 3, TTL)).isEqualTo(3);
      assertThat(redis.admin.redis().scriptExists(Script.COMPARE_AND_DELETE.sha1())).containsExactly(false);
      assertThat(redis.admin.redis().scriptExists(Script.SET_VERSION_IF_ABSENT.sha1())).containsExactly(true);
    }
  }

  @Test
  void locksExpireWithTheirLease() {
    try (RedisStore store = builder(redis.server).build()) {
      assertThat(store.tryLock(p + "l", "a", Duration.ofSeconds(20))).isTrue();
      assertThat(redis.admin.redis().get(p + "l")).isEqualTo("a");
      assertThat(redis.admin.redis().pttl(p + "l")).isBetween(1L, 20_000L);
      assertThat(store.ttl(p + "l")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
    }
  }

  @Test
  void closingAStoreLeavesTheDataAlone() {
    RedisStore first = builder(redis.server).build();
    first.put(p + "k", "v".getBytes(StandardCharsets.UTF_8), TTL);
    first.close();
    first.close(); // idempotent
    try (RedisStore second = builder(redis.server).build()) {
      assertThat(second.get(p + "k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void evictionCountReadsTheServersEvictedKeys() {
    try (RedisServerProcess small = RedisServerProcess.start("--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru");
        RedisStore store = builder(small).nearCache(false).build()) {
      assertThat(store.evictionCount()).isZero();
      byte[] value = new byte[10_000];
      for (int i = 0; i < 1000; i++) { // 10 MB into 2 MB
        store.put("e" + i, value, TTL);
      }
      assertThat(store.evictionCount()).isPositive();
      small.kill();
      assertThat(store.evictionCount()).isPositive(); // the last figure, not an exception
    }
  }

  @Test
  void aStoreBuiltWhileRedisIsDownConnectsLater() {
    int port = LocalServerProcess.freePort(0);
    MutableClock clock = new MutableClock();
    try (RedisStore store = RedisStore.builder()
        .uri("redis://127.0.0.1:" + port)
        .connectTimeout(Duration.ofSeconds(5))
        .clock(clock)
        .clientResources(redis.resources)
        .build()) {
      assertThatThrownBy(() -> store.get("k")).isInstanceOf(RuntimeException.class);
      try (RedisServerProcess late = RedisServerProcess.startOn(port)) {
        assertThat(late.port()).isEqualTo(port);
        Poll.until(Duration.ofSeconds(10), "the store to connect", () -> {
          clock.advance(Duration.ofSeconds(6)); // past an open circuit
          try {
            store.put("k", new byte[] {1}, TTL);
            return true;
          } catch (RuntimeException notYet) {
            return false;
          }
        });
        assertThat(store.get("k")).containsExactly(1);
      }
    }
  }

  @Test
  void aServerThatRefusesTrackingIsUsedWithoutTheNearCache() {
    assertThat(redis.server.cli("acl", "setuser", "notrack", "on", ">pw", "~*", "+@all",
        "-client|tracking")).contains("OK");
    long before = redis.admin.calls("client|tracking");
    FakeTicker ticker = new FakeTicker();
    try (RedisStore store = RedisStore.builder()
        .uri("redis://notrack:pw@127.0.0.1:" + redis.server.port())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .ticker(ticker)
        .clientResources(redis.resources)
        .build()) {
      for (int i = 0; i < 100; i++) {
        store.put(p + "k", new byte[] {(byte) i}, TTL);
        assertThat(store.get(p + "k")).containsExactly((byte) i);
      }
      assertThat(store.nearCache().tracking()).isFalse();
      assertThat(store.nearCache().size()).isZero();
      // Refused once (its OFF and its ON), not again on every read: the next attempt waits a lease.
      assertThat(redis.admin.calls("client|tracking") - before).isEqualTo(2);
    }
  }

  @Test
  void aHangingServerCostsOneTimeoutPerCallUntilTheCircuitOpens() {
    try (RedisServerProcess hanging = RedisServerProcess.start();
        RedisStore store = RedisStore.builder()
            .uri(hanging.uri())
            .connectTimeout(Duration.ofSeconds(5))
            .nearCache(false)
            .clientResources(redis.resources)
            .build()) {
      store.put("k", new byte[] {1}, TTL);
      hanging.pause();
      try {
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) { // the default threshold
          assertThatThrownBy(() -> store.get("k")).isInstanceOf(RedisCommandTimeoutException.class);
        }
        long timedOut = System.nanoTime() - start;
        assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.OPEN);
        start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
          assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreUnavailableException.class);
        }
        long open = System.nanoTime() - start;
        System.out.printf("hanging server: 5 timed-out calls %.0f ms; 1000 calls with the circuit open %.1f ms%n",
            timedOut / 1e6, open / 1e6);
        assertThat(Duration.ofNanos(timedOut)).isBetween(Duration.ofMillis(5 * 240), Duration.ofMillis(5 * 1000));
        // One timeout per call would take 1000 x 250 ms; the bound is the cost of four timeouts,
        // loose enough for a loaded machine (0.25 ms a call was once missed at load average 18).
        assertThat(Duration.ofNanos(open)).isLessThan(Duration.ofMillis(1000));
      } finally {
        hanging.resume();
      }
    }
  }
}
