package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.ScanPage;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Behaviour specific to a three-master Redis Cluster. */
class ClusterIT {
  static final Duration TTL = Duration.ofMinutes(5);

  @RegisterExtension static final SharedRedisCluster redis = new SharedRedisCluster();

  /**
   * Without the near cache: these tests read what another instance wrote at once, which a near
   * cache sees only once the invalidation push arrives ({@code ClusterNearCacheIT}).
   */
  static RedisStore store() {
    return builder().nearCache(false).build();
  }

  static RedisStoreBuilder builder() {
    return RedisStore.builder()
        .cluster(redis.cluster.uris())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(redis.resources);
  }

  static Cachet cachet(String namespace) {
    return Cachet.builder().store(store()).namespace(namespace).build();
  }

  @Test
  void aClusterStoreHasANearCacheByDefault() {
    try (RedisStore store = builder().build()) {
      assertThat(store.hasNearCache()).isTrue();
    }
  }

  @Test
  void tagInvalidationOnOneInstanceReachesTheOther() {
    try (Cachet one = cachet("ctags"); Cachet two = cachet("ctags")) {
      List<String> tags = List.of("users", "orgs", "billing", "region:eu");
      assertThat(tags.stream().map(t -> SlotHash.getSlot("ctags:t:" + t)).distinct().count())
          .isGreaterThan(1); // the versions of one hit live in several slots
      CachePolicy policy = CachePolicy.builder().ttl(TTL).tags(tags).build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(one.get("u:1", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(two.get("u:1", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      one.invalidateTags("billing");
      assertThat(two.get("u:1", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
      assertThat(one.get("u:1", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
      two.clear();
      assertThat(one.get("u:1", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v3");
    }
  }

  @Test
  void versionsOfManySlotsAreReadInOrder() {
    try (RedisStore store = store()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        keys.add("cv:" + i);
        store.setVersion("cv:" + i, 1000 + i, TTL);
      }
      keys.add("cv:absent");
      keys.add("cv:3");
      long[] versions = store.getVersions(keys);
      for (int i = 0; i < 40; i++) {
        assertThat(versions[i]).isEqualTo(1000 + i);
      }
      assertThat(versions[40]).isZero();
      assertThat(versions[41]).isEqualTo(1003);
    }
  }

  @Test
  void anEntryIsReadWithVersionsOfOtherSlotsInOneMgetPerSlot() {
    try (RedisStore store = store(); RedisStore other = store()) {
      String entry = "cgw:k:e";
      List<String> keys = List.of("cgw:n", "cgw:t:users", "cgw:s:users", "cgw:t:orgs", "cgw:s:orgs");
      List<String> all = new ArrayList<>(keys);
      all.add(entry);
      long slots = all.stream().map(SlotHash::getSlot).distinct().count();
      assertThat(slots).isGreaterThan(2); // the entry and its versions live in several slots
      store.put(entry, new byte[] {1, 2, 3}, TTL);
      store.setVersion("cgw:n", 11, TTL);
      store.setVersion("cgw:t:orgs", -4, TTL);

      long mgets = calls("mget");
      long gets = calls("get");
      dev.cachet.store.EntryAndVersions read = store.getWithVersions(entry, keys);
      assertThat(calls("mget") - mgets).isEqualTo(slots); // one per slot, sent together
      assertThat(calls("get")).isEqualTo(gets);
      assertThat(read.entry()).containsExactly(1, 2, 3).containsExactly(store.get(entry));
      assertThat(read.versions()).containsExactly(11, 0, 0, -4, 0).containsExactly(store.getVersions(keys));
      assertThat(store.getWithVersions("cgw:k:absent", keys).entry()).isNull();

      other.setVersion("cgw:t:users", 5, TTL); // another instance: seen by the next read
      other.put(entry, new byte[] {4}, TTL);
      read = store.getWithVersions(entry, keys);
      assertThat(read.entry()).containsExactly(4);
      assertThat(read.versions()).containsExactly(11, 5, 0, -4, 0);
    }
  }

  /** Calls of {@code command} on all nodes, from {@code INFO commandstats}. */
  static long calls(String command) {
    long total = 0;
    for (RedisServerProcess node : redis.cluster.nodes()) {
      for (String line : node.cli("info", "commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_" + command + ":calls=")) {
          total += Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
        }
      }
    }
    return total;
  }

  @Test
  void deleteByPatternReachesEveryMaster() {
    try (Cachet cachet = cachet("cpat")) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      for (int i = 0; i < 90; i++) {
        cachet.put("user:" + i, "u" + i, Codecs.utf8(), policy);
        cachet.put("item:" + i, "i" + i, Codecs.utf8(), policy);
      }
      List<Long> before = redis.cluster.keyCounts();
      assertThat(before).allMatch(n -> n > 0); // entries live on all three masters
      assertThat(cachet.deleteByPattern("user:*")).isEqualTo(90);
      for (int i = 0; i < 90; i++) {
        assertThat(cachet.exists("user:" + i)).isFalse();
        assertThat(cachet.exists("item:" + i)).isTrue();
      }
    }
  }

  @Test
  void aScanVisitsEveryMasterAndStartsOverWhenItsNodeIsGone() {
    try (RedisStore store = store()) {
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        store.put("cscan:" + i, new byte[] {1}, TTL);
        expected.add("cscan:" + i);
      }
      Set<String> nodes = new HashSet<>();
      Set<String> seen = new HashSet<>();
      String cursor = null;
      do {
        ScanPage page = store.scan("cscan:*", cursor, 10);
        seen.addAll(page.keys());
        cursor = page.nextCursor();
        if (cursor != null) {
          nodes.add(ClusterScanCursor.parse(cursor).nodeId());
        }
      } while (cursor != null);
      assertThat(seen).isEqualTo(expected);
      assertThat(nodes).hasSize(3);

      String gone = "f".repeat(40) + ":12:" + "0".repeat(16);
      Set<String> again = new HashSet<>();
      cursor = gone;
      do {
        ScanPage page = store.scan("cscan:*", cursor, 100);
        again.addAll(page.keys());
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(again).isEqualTo(expected);

      assertThatThrownBy(() -> store.scan("cscan:*", "not-a-cursor", 10))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void locksAndScriptsRunOnEveryNode() {
    try (RedisStore store = store()) {
      for (int i = 0; i < 30; i++) { // 30 keys: the scripts reach every master
        String lock = "clock:" + i;
        assertThat(store.tryLock(lock, "a", Duration.ofSeconds(30))).isTrue();
        assertThat(store.tryLock(lock, "b", Duration.ofSeconds(30))).isFalse();
        store.unlock(lock, "a");
        assertThat(store.tryLock(lock, "b", Duration.ofSeconds(30))).isTrue();
        assertThat(store.setVersionIfAbsent("cvia:" + i, 5, TTL)).isEqualTo(5);
        assertThat(store.setVersionIfAbsent("cvia:" + i, 6, TTL)).isEqualTo(5);
      }
    }
  }
}
