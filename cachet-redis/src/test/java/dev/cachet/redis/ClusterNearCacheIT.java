package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.testing.Poll;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The near cache on a three-master Redis Cluster, with two stores standing for two application
 * instances. Tests that disturb the cluster (a paused master, a moved slot) start their own.
 */
class ClusterNearCacheIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension static final SharedRedisCluster redis = new SharedRedisCluster();

  /** The key prefixes of this class's tests and of {@link ClusterNearCacheTopologyIT}'s. */
  static final String[] PREFIXES = {
    "visible:", "renewed:", "killed:", "moved:", "absent:", "joined:", "paused:", "review-failover:",
    "review-storm:"
  };

  static RedisStore store(RedisClusterProcess on, FakeTicker ticker) {
    return NearCacheTracking.awaitedOnEveryMaster(RedisStore.builder()
        .cluster(on.uris())
        .commandTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(5))
        .circuitBreaker(1000, Duration.ofMillis(1)) // these tests look at the near cache alone
        .ticker(ticker)
        .build(), BOUND, PREFIXES);
  }

  /** One key per master, in node order: {@code prefix} followed by a number. */
  static List<String> keyPerMaster(RedisClusterProcess on, String prefix) {
    List<String> keys = new ArrayList<>();
    for (RedisServerProcess node : on.nodes()) {
      for (int i = 0; ; i++) {
        String key = prefix + i;
        if (owner(on, key) == node) {
          keys.add(key);
          break;
        }
      }
    }
    return keys;
  }

  /** The master serving {@code key}'s slot, as the first node sees it ({@code CLUSTER NODES}). */
  static RedisServerProcess owner(RedisClusterProcess on, String key) {
    RedisServerProcess master = on.masterOf(SlotHash.getSlot(key), on.nodes().get(0));
    if (master == null) {
      throw new IllegalStateException("no master serves " + key);
    }
    return master;
  }

  static String nodeId(RedisServerProcess node) {
    return node.cli("cluster", "myid").trim();
  }

  /** {@code GET} and {@code MGET} calls over every master, from {@code INFO commandstats}. */
  static long reads(RedisClusterProcess on) {
    long total = 0;
    for (RedisServerProcess node : on.nodes()) {
      try (RedisAdmin admin = new RedisAdmin(node)) {
        total += admin.calls("get") + admin.calls("mget");
      }
    }
    return total;
  }

  /** Waits until {@code reader} reads {@code expected} under {@code key}; returns how long. */
  static Duration visible(RedisStore reader, String key, byte[] expected) {
    long start = System.nanoTime();
    Poll.until(BOUND, key + " to read the other instance's write", () -> Arrays.equals(reader.get(key), expected));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void hitsAreLocalAndAnotherInstancesWritesAndDeletesAreSeenOnEveryMaster() {
    try (RedisStore a = store(redis.cluster, new FakeTicker()); RedisStore b = store(redis.cluster, new FakeTicker())) {
      List<String> keys = keyPerMaster(redis.cluster, "visible:");
      List<String> versions = keyPerMaster(redis.cluster, "visible:v:");
      for (int i = 0; i < 3; i++) {
        b.put(keys.get(i), bytes("v1"), TTL);
        b.setVersion(versions.get(i), 1, TTL);
        assertThat(a.get(keys.get(i))).isEqualTo(bytes("v1"));
      }
      assertThat(a.getVersions(versions)).containsExactly(1L, 1L, 1L);

      long before = reads(redis.cluster);
      for (int round = 0; round < 10; round++) {
        for (String key : keys) {
          assertThat(a.get(key)).isEqualTo(bytes("v1"));
        }
        assertThat(a.getVersions(versions)).containsExactly(1L, 1L, 1L);
      }
      assertThat(reads(redis.cluster)).isEqualTo(before); // every one of them from A's near cache

      Duration slowest = Duration.ZERO;
      for (int i = 0; i < 3; i++) {
        b.put(keys.get(i), bytes("v2"), TTL);
        slowest = max(slowest, visible(a, keys.get(i), bytes("v2")));
        b.setVersion(versions.get(i), 2, TTL);
        long start = System.nanoTime();
        int index = i;
        Poll.until(BOUND, "the new version", () -> a.getVersions(versions)[index] == 2);
        slowest = max(slowest, Duration.ofNanos(System.nanoTime() - start));
        b.delete(keys.get(i));
        slowest = max(slowest, visible(a, keys.get(i), null));
      }
      System.out.println("ClusterNearCacheIT: slowest invalidation seen by the other instance: " + slowest);
      assertThat(slowest).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void pastTheLeaseEveryNodeConnectionIsProbedAndTheCopyIsServedAgain() {
    FakeTicker ticker = new FakeTicker();
    try (RedisStore a = store(redis.cluster, ticker)) {
      List<String> keys = keyPerMaster(redis.cluster, "renewed:");
      for (String key : keys) {
        a.put(key, bytes("v1"), TTL);
        assertThat(a.get(key)).isEqualTo(bytes("v1"));
      }
      NearCacheTracking.readUntilCached(a, keys);
      ticker.advance(Duration.ofSeconds(1)); // idle for a whole lease
      assertThat(a.nearCache().servable()).isFalse(); // and a CLUSTER NODES goes to every master
      Poll.until(BOUND, "every master to answer its probe", () -> a.nearCache().servable());
      long before = reads(redis.cluster);
      for (String key : keys) {
        assertThat(a.get(key)).isEqualTo(bytes("v1"));
      }
      assertThat(reads(redis.cluster)).isEqualTo(before);
    }
  }

  @Test
  void aKilledNodeConnectionEmptiesTheCopyBeforeItIsServedAgain() {
    try (RedisStore a = store(redis.cluster, new FakeTicker())) {
      List<String> keys = keyPerMaster(redis.cluster, "killed:");
      for (String key : keys) {
        a.put(key, bytes("v1"), TTL);
        assertThat(a.get(key)).isEqualTo(bytes("v1"));
      }
      NearCacheTracking.readUntilCached(a, keys);
      RedisServerProcess first = redis.cluster.nodes().get(0);
      first.cli("client", "kill", "type", "normal"); // A's connection to it
      // Written where A's connection no longer tracks anything: no invalidation can reach A.
      first.cli("set", keys.get(0), "v2");

      Poll.until(BOUND, "the copy to be emptied", () -> keys.stream().allMatch(k -> a.nearCache().cached(k) == null));
      Poll.until(BOUND, "tracking on the new connection", () -> {
        try {
          a.get("killed:probe"); // a key under a tracked prefix: its read asks for tracking again
        } catch (RuntimeException reconnecting) {
          return false;
        }
        return a.nearCache().tracking();
      });
      assertThat(a.get(keys.get(0))).isEqualTo(bytes("v2"));
      assertThat(a.get(keys.get(1))).isEqualTo(bytes("v1"));
      first.cli("set", keys.get(0), "v3"); // tracked again on the new connection
      visible(a, keys.get(0), bytes("v3"));
    }
  }

  @Test
  void aMigratedSlotNeverLeavesTheOldValueServed() {
    try (RedisClusterProcess own = RedisClusterProcess.start();
        RedisStore a = store(own, new FakeTicker());
        RedisStore b = store(own, new FakeTicker())) {
      String key = keyPerMaster(own, "moved:").get(0);
      RedisServerProcess source = own.nodes().get(0);
      RedisServerProcess target = own.nodes().get(1);
      String slot = Integer.toString(SlotHash.getSlot(key));
      b.put(key, bytes("v1"), TTL);
      assertThat(a.get(key)).isEqualTo(bytes("v1"));
      NearCacheTracking.readUntilCached(a, List.of(key));

      target.cli("cluster", "setslot", slot, "importing", nodeId(source));
      source.cli("cluster", "setslot", slot, "migrating", nodeId(target));
      String migrated = source.cli(
          "migrate", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000", "keys", key);
      assertThat(migrated).contains("OK");
      // MIGRATE deleted the key on the source, which invalidates it on A's source connection.
      Poll.until(BOUND, "the source's invalidation", () -> a.nearCache().cached(key) == null);

      // Mid-migration: reads and writes are sent on to the target (ASK), whose connection tracks.
      assertThat(a.get(key)).isEqualTo(bytes("v1"));
      b.put(key, bytes("v2"), TTL);
      Duration slowest = visible(a, key, bytes("v2"));

      for (RedisServerProcess node : own.nodes()) {
        node.cli("cluster", "setslot", slot, "node", nodeId(target));
      }
      assertThat(owner(own, key)).isSameAs(target);
      assertThat(a.get(key)).isEqualTo(bytes("v2"));
      b.put(key, bytes("v3"), TTL);
      slowest = max(slowest, visible(a, key, bytes("v3")));
      target.cli("set", key, "v4"); // another client, straight to the owner
      slowest = max(slowest, visible(a, key, bytes("v4")));
      System.out.println("ClusterNearCacheIT: slowest invalidation across the migration: " + slowest);
    }
  }

  @Test
  void aKeyReadAsAbsentIsNotServedPastTheLeaseOnceItsSlotMigrates() {
    FakeTicker ticker = new FakeTicker();
    try (RedisClusterProcess own = RedisClusterProcess.start();
        RedisStore a = store(own, ticker);
        RedisStore b = store(own, new FakeTicker())) {
      String version = keyPerMaster(own, "absent:v:").get(0);
      RedisServerProcess source = own.nodes().get(0);
      RedisServerProcess target = own.nodes().get(1);
      assertThat(a.getVersions(List.of(version))).containsExactly(0L);
      assertThat(a.nearCache().cached(version)).isSameAs(NearCache.ABSENT); // tracked on the source

      String slot = Integer.toString(SlotHash.getSlot(version));
      target.cli("cluster", "setslot", slot, "importing", nodeId(source));
      source.cli("cluster", "setslot", slot, "migrating", nodeId(target));
      // Absent on the source, so written on the target (ASK): the source has nothing to push.
      b.setVersion(version, 5, TTL);
      // Half a lease on, a busy copy (stale, but within the lease) probes every node.
      ticker.advance(Duration.ofMillis(500));
      a.nearCache().servable();
      // The source's own CLUSTER NODES shows the slot migrating: the copy is emptied...
      Poll.until(BOUND, "the probe to find the slot migrating", () -> a.nearCache().cached(version) == null);
      // ...and, the lease not renewed, never served from the last verified moment plus a lease.
      ticker.advance(Duration.ofMillis(500));
      assertThat(a.nearCache().servable()).isFalse();
      assertThat(a.getVersions(List.of(version))).containsExactly(5L);

      for (RedisServerProcess node : own.nodes()) {
        node.cli("cluster", "setslot", slot, "node", nodeId(target));
      }
      ticker.advance(Duration.ofSeconds(1));
      Poll.until(BOUND, "the copy to be used again once the topology is current", () -> {
        a.getVersions(List.of(version));
        return a.nearCache().servable();
      });
      long before = reads(own);
      assertThat(a.getVersions(List.of(version))).containsExactly(5L);
      assertThat(reads(own)).isEqualTo(before);
      b.setVersion(version, 6, TTL);
      Poll.until(BOUND, "the target's invalidation", () -> a.getVersions(List.of(version))[0] == 6);
    }
  }

  @Test
  void aMasterThatJoinsLaterIsTrackedBeforeItsKeysAreServed() {
    try (RedisClusterProcess own = RedisClusterProcess.start();
        RedisStore a = store(own, new FakeTicker());
        RedisStore b = store(own, new FakeTicker())) {
      String key = keyPerMaster(own, "joined:").get(0);
      RedisServerProcess source = own.nodes().get(0);
      b.put(key, bytes("v1"), TTL);
      assertThat(a.get(key)).isEqualTo(bytes("v1"));

      try (RedisServerProcess joined = RedisClusterProcess.startNode()) {
        joined.cli("cluster", "meet", "127.0.0.1", Integer.toString(source.port()));
        Poll.until(BOUND, "every node to know the new one, and it the cluster", () -> own.nodes().stream().allMatch(
            n -> n.cli("cluster", "nodes").contains(nodeId(joined)))
            && joined.cli("cluster", "info").contains("cluster_state:ok"));
        String slot = Integer.toString(SlotHash.getSlot(key));
        joined.cli("cluster", "setslot", slot, "importing", nodeId(source));
        source.cli("cluster", "setslot", slot, "migrating", nodeId(joined));
        assertThat(source.cli(
            "migrate", "127.0.0.1", Integer.toString(joined.port()), "", "0", "5000", "keys", key)).contains("OK");
        for (RedisServerProcess node : List.of(joined, source, own.nodes().get(1), own.nodes().get(2))) {
          node.cli("cluster", "setslot", slot, "node", nodeId(joined));
        }
        // A learns the new master (MOVED), connects to it, and tracks that connection before it
        // serves the key from the copy again.
        Poll.until(BOUND, "A to serve the key from the new master, tracked", () -> {
          try {
            return Arrays.equals(a.get(key), bytes("v1")) && a.nearCache().cached(key) != null
                && a.nearCache().servable();
          } catch (RuntimeException unknownNodeYet) {
            return false;
          }
        });
        b.put(key, bytes("v2"), TTL);
        Duration seen = visible(a, key, bytes("v2"));
        joined.cli("set", key, "v3"); // another client, straight to the owner
        seen = max(seen, visible(a, key, bytes("v3")));
        System.out.println("ClusterNearCacheIT: slowest invalidation from the joined master: " + seen);
      }
    }
  }

  @Test
  void aPausedMastersKeysAreNotServedPastTheLease() {
    try (RedisClusterProcess own = RedisClusterProcess.start()) {
      FakeTicker ticker = new FakeTicker();
      try (RedisStore a = store(own, ticker)) {
        List<String> keys = keyPerMaster(own, "paused:");
        for (String key : keys) {
          a.put(key, bytes("v1"), TTL);
          assertThat(a.get(key)).isEqualTo(bytes("v1"));
        }
        NearCacheTracking.readUntilCached(a, keys);
        RedisServerProcess first = own.nodes().get(0);
        first.pause(); // its connection stays open; no invalidation can arrive from it
        try {
          assertThat(a.get(keys.get(0))).isEqualTo(bytes("v1")); // within the lease
          ticker.advance(Duration.ofSeconds(1)); // the default lease
          assertThatThrownBy(() -> a.get(keys.get(0))).isInstanceOf(RuntimeException.class);
          // The other masters answer: their keys are read from them.
          assertThat(a.get(keys.get(1))).isEqualTo(bytes("v1"));
        } finally {
          first.resume();
        }
        Poll.until(BOUND, "a reply after the pause", () -> {
          try {
            return Arrays.equals(a.get(keys.get(0)), bytes("v1"));
          } catch (RuntimeException timedOut) {
            return false;
          }
        });
      }
    }
  }

  static Duration max(Duration x, Duration y) {
    return x.compareTo(y) >= 0 ? x : y;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
