package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store on a Sentinel-managed master ({@code redis-sentinel://}), against real processes: a
 * master, its replica and two Sentinels ({@link SentinelGroup}). Failover is in
 * {@link SentinelFailoverIT}.
 */
class SentinelIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);

  static SentinelGroup group;
  String p;

  @BeforeAll
  static void startGroup() {
    group = SentinelGroup.start(2, null);
  }

  @AfterAll
  static void stopGroup() {
    if (group != null) {
      group.close();
    }
  }

  @BeforeEach
  void prefix() {
    p = "s" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** A store on {@code uri}; with the near cache, returned once tracking is on. */
  RedisStore store(String uri, boolean nearCache) {
    RedisStoreBuilder builder = RedisStore.builder().uri(uri).connectTimeout(Duration.ofSeconds(5));
    if (!nearCache) {
      builder.nearCache(false);
    }
    RedisStore store = builder.build();
    return nearCache ? NearCacheTracking.awaited(store, BOUND, p) : store;
  }

  @Test
  void readsAndWritesGoToTheMasterTheSentinelsName() {
    RedisAdmin master = group.admin(group.master());
    try (RedisStore store = store(group.uri(), true)) {
      assertThat(store.hasNearCache()).isTrue();
      store.put(p + "k", bytes("v1"), TTL);
      assertThat(master.redis().get(p + "k")).isEqualTo("v1");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      NearCacheTracking.readUntilCached(store, java.util.List.of(p + "k"));
      assertThat(store.nearCache().cached(p + "k")).isEqualTo(bytes("v1"));

      // A write by another client reaches the near cache as a tracking invalidation.
      master.redis().set(p + "k", "v2");
      Poll.until(BOUND, "the near cache to drop the overwritten value",
          () -> Arrays.equals(store.get(p + "k"), bytes("v2")));
      assertThat(store.delete(p + "k")).isTrue();
      assertThat(master.redis().exists(p + "k")).isZero();
      assertThat(store.get(p + "k")).isNull();
    }
  }

  @Test
  void withoutTheNearCacheEveryReadGoesToTheMaster() {
    RedisAdmin master = group.admin(group.master());
    try (RedisStore store = store(group.uri(), false)) {
      assertThat(store.hasNearCache()).isFalse();
      store.put(p + "k", bytes("v1"), TTL);
      assertThat(master.redis().get(p + "k")).isEqualTo("v1");
      long gets = master.calls("get");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      assertThat(master.calls("get")).isEqualTo(gets + 2);
      master.redis().set(p + "k", "v2");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v2"));
      assertThat(store.ttl(p + "k")).isNull(); // SET without expiry by the admin
    }
  }

  @Test
  void versionsAndTagsWorkAcrossTwoInstances() {
    String ns = p.substring(0, p.length() - 1);
    try (RedisStore a = store(group.uri(), true);
        RedisStore b = store(group.uri(), true);
        Cachet one = Cachet.builder().store(a).namespace(ns).build();
        Cachet two = Cachet.builder().store(b).namespace(ns).build()) {
      a.setVersion(p + "v", 3, TTL);
      assertThat(b.getVersions(List.of(p + "v", p + "none"))).containsExactly(3L, 0L);
      assertThat(a.setVersionIfAbsent(p + "v", 9, TTL)).isEqualTo(3L);
      assertThat(b.setVersionIfAbsent(p + "w", 9, TTL)).isEqualTo(9L);
      a.setVersion(p + "v", 4, TTL);
      Poll.until(BOUND, "b to see the version bump", () -> b.getVersions(List.of(p + "v"))[0] == 4L);

      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users").build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "old")).isEqualTo("old");
      assertThat(two.get("u:1", Codecs.utf8(), tagged, () -> "unused-" + loads.incrementAndGet()))
          .isEqualTo("old");
      assertThat(loads).hasValue(0); // a hit on the other instance, through the master
      one.invalidateTags("users");
      Poll.until(BOUND, "two to see the tag invalidation",
          () -> "new".equals(two.get("u:1", Codecs.utf8(), tagged, () -> "new")));
      assertThat(one.get("u:1", Codecs.utf8(), tagged, () -> "unexpected")).isEqualTo("new");
    }
  }

  @Test
  void aSentinelUriWithoutTheMasterNameIsRefusedWhenBuilding() {
    String uri = "redis-sentinel://" + SentinelProcess.addresses(group.sentinels());
    assertThatThrownBy(() -> RedisStore.builder().uri(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelMasterId");
  }

  @Test
  void aMasterNameNoSentinelKnowsIsAStoreThatMissesNotAnError() {
    String uri = "redis-sentinel://" + SentinelProcess.addresses(group.sentinels())
        + "?sentinelMasterId=unknown";
    try (RedisStore store = RedisStore.builder().uri(uri).build();
        Cachet cachet = Cachet.builder().store(store).namespace("unknown").build()) {
      assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded")).isEqualTo("loaded");
      assertThat(cachet.stats().storeErrors()).isPositive();
    }
  }

  @Test
  void aPasswordProtectedMasterIsReachedWithTheUriPassword() {
    try (SentinelGroup secured = SentinelGroup.start(1, "s3cret");
        RedisStore store = store(secured.uri(), true)) {
      store.put(p + "k", bytes("v1"), TTL);
      RedisAdmin master = secured.admin(secured.master());
      assertThat(master.redis().get(p + "k")).isEqualTo("v1");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      master.redis().set(p + "k", "v2");
      Poll.until(BOUND, "the near cache to drop the overwritten value",
          () -> Arrays.equals(store.get(p + "k"), bytes("v2")));

      // Without the password the master refuses the connection: every call is a miss.
      String noPassword = secured.uri().replace(":s3cret@", "");
      try (RedisStore refused = store(noPassword, false);
          Cachet cachet = Cachet.builder().store(refused).namespace("nopw").build()) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded")).isEqualTo("loaded");
        assertThat(cachet.stats().storeErrors()).isPositive();
      }
    }
  }

  @Test
  void sentinelsThatRequireAPasswordOfTheirOwnAreReachedWithSentinelCredentials() {
    try (SentinelGroup secured = SentinelGroup.start(1, "s3cret", true);
        RedisStore store = RedisStore.builder().uri(secured.uri()).sentinelCredentials(null, "s3cret")
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      store.put(p + "k", bytes("v1"), TTL);
      assertThat(secured.admin(secured.master()).redis().get(p + "k")).isEqualTo("v1");
      assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));

      // The URI's password is the master's only: the Sentinels refuse the store, every call misses.
      try (RedisStore refused = store(secured.uri(), false);
          Cachet cachet = Cachet.builder().store(refused).namespace("nosentinelpw").build()) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded")).isEqualTo("loaded");
        assertThat(cachet.stats().storeErrors()).isPositive();
      }
    }
  }

  @Test
  void whenTheFirstSentinelIsDownTheNextOneIsAsked() {
    try (SentinelGroup two = SentinelGroup.start(2, null)) {
      two.sentinels().get(0).kill();
      try (RedisStore store = store(two.uri(), true)) {
        store.put(p + "k", bytes("v1"), TTL);
        assertThat(two.admin(two.master()).redis().get(p + "k")).isEqualTo("v1");
        assertThat(store.get(p + "k")).isEqualTo(bytes("v1"));
      }
    }
  }

  @Test
  void whenTheFirstSentinelHangsTheNextOneIsAsked() {
    try (SentinelGroup two = SentinelGroup.start(2, null)) {
      two.sentinels().get(0).pause();
      try {
        long start = System.nanoTime();
        try (RedisStore store = RedisStore.builder().uri(two.uri()).nearCache(false).build()) {
          // Each Sentinel is given the connect timeout (2 s), not Lettuce's default minute.
          Poll.until(Duration.ofSeconds(10), "the store to reach the master", () -> {
            try {
              store.put(p + "k", bytes("v1"), TTL);
              return true;
            } catch (RuntimeException e) {
              return false;
            }
          });
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          System.out.printf("sentinel: first Sentinel hung, the store reached the master %d ms"
              + " after the build began%n", took.toMillis());
          assertThat(took).isLessThan(Duration.ofSeconds(10));
          assertThat(two.admin(two.master()).redis().get(p + "k")).isEqualTo("v1");
        }
      } finally {
        two.sentinels().get(0).resume();
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
