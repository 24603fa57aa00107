package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code getWithVersions} on a standalone server, with and without the near cache: the same
 * answer as {@code get} plus {@code getVersions}, in one command, coherent with other clients.
 */
class GetWithVersionsIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(2);

  @RegisterExtension static final SharedRedis redis = new SharedRedis();
  String p;

  @BeforeEach
  void prefix() {
    p = "g" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /**
   * A store with or without a near cache. The near cache's ticker stands still, so its lease
   * never lapses and it sends no {@code PING}: every command counted comes from a read.
   */
  RedisStore store(boolean near, Duration commandTimeout) {
    RedisStoreBuilder builder = redis.storeBuilder(commandTimeout);
    if (!near) {
      return builder.nearCache(false).build();
    }
    return NearCacheTracking.awaited(builder.ticker(new FakeTicker()).build(), BOUND, p);
  }

  RedisStore store(boolean near) {
    return store(near, Duration.ofSeconds(1));
  }

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void answersWhatGetAndGetVersionsAnswer(boolean near) {
    try (RedisStore store = store(near); RedisStore reference = store(false)) {
      store.put(p + "k:e", bytes("entry"), TTL);
      store.setVersion(p + "n", 7, TTL);
      store.setVersion(p + "t:a", -3, TTL);
      redis.admin.redis().set(p + "s:a", "not a version");
      List<String> keys = List.of(p + "n", p + "t:a", p + "s:a", p + "t:b", p + "s:b");
      for (int i = 0; i < 3; i++) { // from Redis, then (near cache) from the copy
        EntryAndVersions read = store.getWithVersions(p + "k:e", keys);
        assertThat(read.entry()).isEqualTo(bytes("entry")).isEqualTo(reference.get(p + "k:e"));
        assertThat(read.versions())
            .containsExactly(7, -3, 0, 0, 0)
            .containsExactly(reference.getVersions(keys));
      }
      assertThat(store.getWithVersions(p + "k:absent", keys).entry()).isNull();
      assertThat(store.getWithVersions(p + "k:absent", keys).entry()).isNull();
      EntryAndVersions untagged = store.getWithVersions(p + "k:e", List.of());
      assertThat(untagged.entry()).isEqualTo(bytes("entry"));
      assertThat(untagged.versions()).isEmpty();
      EntryAndVersions repeated = store.getWithVersions(p + "k:e", List.of(p + "n", p + "n"));
      assertThat(repeated.versions()).containsExactly(7, 7);
    }
  }

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void aReadIsOneCommandAndANearCachedOneNone(boolean near) {
    try (RedisStore store = store(near)) {
      store.put(p + "k:e", bytes("entry"), TTL);
      store.setVersion(p + "n", 1, TTL);
      store.setVersion(p + "t:a", 2, TTL);
      List<String> keys = List.of(p + "n", p + "t:a", p + "s:a");
      // Own writes are also invalidated by the server just after their reply: wait for those.
      Poll.until(BOUND, "own writes invalidated", () -> store.getWithVersions(p + "k:e", keys) != null
          && (!near || store.nearCache().cached(p + "k:e") != null
              && keys.stream().allMatch(k -> store.nearCache().cached(k) != null)));

      Map<String, Long> before = redis.admin.callsByCommand();
      assertThat(store.getWithVersions(p + "k:absent", keys).entry()).isNull();
      for (int i = 0; i < 10; i++) {
        assertThat(store.getWithVersions(p + "k:e", keys).versions()).containsExactly(1, 2, 0);
      }
      Map<String, Long> delta = RedisAdmin.delta(before, redis.admin.callsByCommand());
      // Without a near cache: one MGET per read. With it: the absent entry, whose versions are
      // near-cached, was one GET (now it is cached as absent); the present one is served locally.
      assertThat(delta).isEqualTo(near ? Map.of("get", 1L) : Map.of("mget", 11L));

      if (near) {
        // Another client changes one version: only that version is read again, in one command.
        redis.admin.redis().set(p + "t:a", "5");
        Poll.until(BOUND, "the invalidation", () -> store.nearCache().cached(p + "t:a") == null);
        before = redis.admin.callsByCommand();
        assertThat(store.getWithVersions(p + "k:e", keys).versions()).containsExactly(1, 5, 0);
        assertThat(store.getWithVersions(p + "k:e", keys).versions()).containsExactly(1, 5, 0);
        assertThat(RedisAdmin.delta(before, redis.admin.callsByCommand())).isEqualTo(Map.of("mget", 1L));
        // ...and the entry: only the entry.
        redis.admin.redis().set(p + "k:e", "other");
        Poll.until(BOUND, "the invalidation", () -> store.nearCache().cached(p + "k:e") == null);
        before = redis.admin.callsByCommand();
        assertThat(store.getWithVersions(p + "k:e", keys).entry()).isEqualTo(bytes("other"));
        assertThat(store.getWithVersions(p + "k:e", keys).entry()).isEqualTo(bytes("other"));
        assertThat(RedisAdmin.delta(before, redis.admin.callsByCommand())).isEqualTo(Map.of("get", 1L));
      }
    }
  }

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void aTaggedHitThroughCachetIsOneCommandAtMost(boolean near) {
    String ns = p.substring(0, p.length() - 1);
    try (Cachet cachet = Cachet.builder().store(store(near)).namespace(ns).build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users", "orgs").build();
      for (int i = 0; i < 3; i++) { // the miss, then hits that refill a near cache
        assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v1")).isEqualTo("v1");
      }
      Map<String, Long> before = redis.admin.callsByCommand();
      for (int i = 0; i < 20; i++) {
        assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "never")).isEqualTo("v1");
      }
      Map<String, Long> delta = RedisAdmin.delta(before, redis.admin.callsByCommand());
      assertThat(delta).isEqualTo(near ? Map.of() : Map.of("mget", 20L));
    }
  }

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void changesByAnotherInstanceAreSeen(boolean near) {
    try (RedisStore reader = store(near); RedisStore writer = store(true)) {
      String entry = p + "k:e";
      List<String> keys = List.of(p + "n", p + "t:a", p + "s:a");
      writer.put(entry, bytes("v1"), TTL);
      writer.setVersion(p + "t:a", 1, TTL);
      Poll.until(BOUND, "the first state", () -> Arrays.equals(reader.getWithVersions(entry, keys).entry(), bytes("v1"))
          && reader.getWithVersions(entry, keys).versions()[1] == 1);

      writer.setVersion(p + "t:a", 2, TTL);
      seen(near, () -> reader.getWithVersions(entry, keys).versions()[1] == 2);
      writer.setVersion(p + "s:a", 9, TTL);
      seen(near, () -> reader.getWithVersions(entry, keys).versions()[2] == 9);
      writer.put(entry, bytes("v2"), TTL);
      seen(near, () -> Arrays.equals(reader.getWithVersions(entry, keys).entry(), bytes("v2")));
      writer.delete(entry);
      seen(near, () -> reader.getWithVersions(entry, keys).entry() == null);
      redis.admin.redis().set(entry, "v3"); // a client that is no Cachet store
      seen(near, () -> Arrays.equals(reader.getWithVersions(entry, keys).entry(), bytes("v3")));
      redis.admin.redis().del(p + "t:a");
      seen(near, () -> reader.getWithVersions(entry, keys).versions()[1] == 0);
    }
  }

  /** At once without a near cache; within the bound (an invalidation push) with one. */
  private static void seen(boolean near, java.util.function.BooleanSupplier condition) {
    if (near) {
      Poll.until(BOUND, "the change to be seen", condition);
    } else {
      assertThat(condition.getAsBoolean()).isTrue();
    }
  }

  @Test
  void readersRacingWritesConvergeOnTheLastValue() throws Exception {
    try (RedisStore reader = store(true); RedisStore writer = store(false)) {
      String entry = p + "k:e";
      List<String> keys = List.of(p + "n", p + "t:a");
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> readers = pool.submit(() -> {
          while (!done.get()) {
            reader.getWithVersions(entry, keys); // fills the copy while the values change
          }
        });
        for (int v = 1; v <= 2000; v++) {
          writer.setVersion(p + "t:a", v, TTL);
          if (v % 10 == 0) {
            writer.put(entry, bytes("v" + v), TTL);
          }
        }
        done.set(true);
        readers.get(30, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      // A reply overtaken by an invalidation must never stay cached: the reader converges, and
      // so does its copy (a push still on its way may empty it once more; the next read refills).
      Poll.until(BOUND, "the reader and its copy to converge", () -> {
        EntryAndVersions read = reader.getWithVersions(entry, keys);
        return read.versions()[1] == 2000 && Arrays.equals(read.entry(), bytes("v2000"))
            && Long.valueOf(2000L).equals(reader.nearCache().cached(p + "t:a"))
            && reader.nearCache().cached(entry) instanceof byte[] copy && Arrays.equals(copy, bytes("v2000"));
      });
    }
  }

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void aHungServerFailsTheReadAndCachesNothingOfIt(boolean near) {
    try (RedisStore store = store(near, Duration.ofMillis(200))) {
      store.put(p + "k:e", bytes("v"), TTL);
      List<String> keys = List.of(p + "n", p + "t:a");
      redis.server.pause();
      try {
        assertThatThrownBy(() -> store.getWithVersions(p + "k:e", keys)).isInstanceOf(RuntimeException.class);
      } finally {
        redis.server.resume();
      }
      if (near) { // nothing of the failed read was cached
        assertThat(store.nearCache().cached(p + "k:e")).isNull();
        assertThat(store.nearCache().cached(p + "n")).isNull();
      }
      Poll.until(BOUND, "a reply after the pause", () -> {
        try {
          return Arrays.equals(store.getWithVersions(p + "k:e", keys).entry(), bytes("v"));
        } catch (RuntimeException timedOut) {
          return false;
        }
      });
      if (near) { // the next read fills the copy again
        assertThat(store.getWithVersions(p + "k:e", keys).entry()).isEqualTo(bytes("v"));
        Poll.until(BOUND, "the copy filled", () -> store.getWithVersions(p + "k:e", keys).entry() != null
            && store.nearCache().cached(p + "k:e") != null);
        assertThat(store.nearCache().cached(p + "k:e")).isEqualTo(bytes("v"));
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
