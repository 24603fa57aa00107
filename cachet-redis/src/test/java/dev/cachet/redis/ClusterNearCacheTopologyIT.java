package dev.cachet.redis;

import static dev.cachet.redis.ClusterNearCacheIT.BOUND;
import static dev.cachet.redis.ClusterNearCacheIT.TTL;
import static dev.cachet.redis.ClusterNearCacheIT.bytes;
import static dev.cachet.redis.ClusterNearCacheIT.keyPerMaster;
import static dev.cachet.redis.ClusterNearCacheIT.nodeId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster near cache through topology changes: a former master whose connection reconnects
 * does not keep the copy off for good, and a slot in migration does not make each instance refresh
 * the topology on every probe. Real three-master cluster.
 */
class ClusterNearCacheTopologyIT {

  static RedisStore store(RedisClusterProcess on) {
    RedisStore store = RedisStore.builder()
        .cluster(on.uris())
        .commandTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(5))
        .circuitBreaker(1000, Duration.ofMillis(1))
        .ticker(Ticker.systemTicker())
        .build();
    for (String prefix : ClusterNearCacheIT.PREFIXES) {
      store.nearCache().covers(prefix); // tracked from the first read
    }
    Poll.until(BOUND, "client tracking on every master, and each one's slots verified", () -> usable(store));
    return store;
  }

  /** Reads (so that a redirect or an untracked copy gets dealt with) and says if the copy is in use. */
  static boolean usable(RedisStore store, String... keys) {
    try {
      store.get("warm-up:");
      for (String key : keys) {
        store.get(key);
      }
    } catch (RuntimeException reconnecting) {
      return false;
    }
    return store.nearCache().tracking() && store.nearCache().servable();
  }

  /**
   * The routine failover: a master's replica takes over, and the old master (now a replica)
   * restarts or merely loses its connections. Lettuce keeps its pooled connection to the old
   * master (its host and port are still in the topology), which reconnects. ClusterTracking
   * forgot it on the disconnect (isOpen() is already false when onRedisDisconnected runs), sees
   * the reconnect as an unknown connection, and discover() adopts masters only: the connection
   * stays unknown and the near cache is off for good, on this instance, silently.
   */
  @Test
  void aFormerMasterWhoseConnectionReconnectsDoesNotTurnTheNearCacheOffForGood() {
    try (RedisClusterProcess own = RedisClusterProcess.start()) {
      RedisServerProcess first = own.nodes().get(0);
      try (RedisServerProcess replica = RedisClusterProcess.startNode()) {
        replica.cli("cluster", "meet", "127.0.0.1", Integer.toString(first.port()));
        Poll.until(BOUND, "every node to know the new one", () -> own.nodes().stream().allMatch(
            n -> n.cli("cluster", "nodes").contains(nodeId(replica))));
        String firstId = nodeId(first);
        Poll.until(BOUND, "the replica to follow the first master", () ->
            replica.cli("cluster", "replicate", firstId).contains("OK")
                || replica.cli("cluster", "nodes").contains("myself,slave"));
        Poll.until(Duration.ofSeconds(15), "the replica in sync", () ->
            replica.cli("info", "replication").contains("master_link_status:up"));

        try (RedisStore a = store(own)) {
          List<String> keys = keyPerMaster(own, "review-failover:");
          for (String key : keys) {
            a.put(key, bytes("v1"), TTL);
            assertThat(a.get(key)).isEqualTo(bytes("v1"));
          }

          replica.cli("cluster", "failover");
          Poll.until(BOUND, "the replica to be master", () ->
              replica.cli("cluster", "nodes").contains("myself,master")
                  && first.cli("cluster", "nodes").contains("myself,slave"));
          String[] all = keys.toArray(new String[0]);
          // A learns the new topology (its probe of the old master finds no slots there) and
          // tracks its connection to the new master.
          Poll.until(Duration.ofSeconds(10), "the copy in use again, the new master tracked", () -> usable(a, all)
              && replica.cli("client", "list").contains("flags=t"));

          // The old master (a replica now) drops A's connection: a restart, a network blip.
          first.cli("client", "kill", "type", "normal");
          // Lettuce reconnects it after a jittered delay (up to 1 s here); redis-cli speaks RESP2.
          Poll.until(BOUND, "A's pooled connection to the old master to reconnect", () ->
              first.cli("client", "list").contains("resp=3"));
          Poll.until(Duration.ofSeconds(10), "the copy in use again once that connection is back",
              () -> usable(a, all));
        }
      }
    }
  }

  /** {@code total_connections_received} of {@code node} (each call adds one, its own). */
  static long connectionsReceived(RedisServerProcess node) {
    for (String line : node.cli("info", "stats").split("\r?\n")) {
      if (line.startsWith("total_connections_received:")) {
        return Long.parseLong(line.substring("total_connections_received:".length()).trim());
      }
    }
    throw new IllegalStateException("no total_connections_received");
  }

  /** New connections {@code node} receives while {@code a} reads its copy for {@code d}. */
  static long connectionsWhileReading(RedisStore a, List<String> keys, RedisServerProcess node, Duration d) {
    long before = connectionsReceived(node);
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() - end < 0) {
      for (String key : keys) {
        try {
          a.get(key);
        } catch (RuntimeException e) {
          // a redirect in flight: not what is measured
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
    }
    return connectionsReceived(node) - before - 1;
  }

  /**
   * A slot in migration makes every probe of its two nodes invalid; each invalid probe empties
   * the copy and calls refreshPartitionsAsync() (not rate-limited, unlike Lettuce's adaptive
   * refresh), and every topology refresh opens a new connection to every node. So while a slot
   * migrates (minutes, for a big one), each reading instance opens about ten connections a
   * second to every node of the cluster, uninvolved ones included.
   */
  @Test
  void aSlotInMigrationDoesNotMakeEveryInstanceRefreshTheTopologyTenTimesASecond() {
    try (RedisClusterProcess own = RedisClusterProcess.start(); RedisStore a = store(own)) {
      List<String> keys = keyPerMaster(own, "review-storm:");
      for (String key : keys) {
        a.put(key, bytes("v1"), TTL);
        a.get(key);
      }
      RedisServerProcess source = own.nodes().get(0);
      RedisServerProcess target = own.nodes().get(1);
      RedisServerProcess bystander = own.nodes().get(2);
      long quiet = connectionsWhileReading(a, keys, bystander, Duration.ofSeconds(3));

      String slot = Integer.toString(io.lettuce.core.cluster.SlotHash.getSlot(keys.get(0)));
      target.cli("cluster", "setslot", slot, "importing", nodeId(source));
      source.cli("cluster", "setslot", slot, "migrating", nodeId(target));
      long migrating;
      try {
        migrating = connectionsWhileReading(a, keys, bystander, Duration.ofSeconds(3));
      } finally {
        source.cli("cluster", "setslot", slot, "stable");
        target.cli("cluster", "setslot", slot, "stable");
      }
      System.out.println("ClusterNearCacheTopologyIT: connections to an uninvolved node in 3 s: quiet "
          + quiet + ", one slot migrating " + migrating);
      assertThat(migrating).isLessThanOrEqualTo(quiet + 3);
    }
  }
}
