package dev.cachet.redis.faults;

import dev.cachet.testing.faults.FaultRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of three masters with one replica each: six {@link RedisNode}s with {@code
 * cluster-node-timeout 1000}, joined by {@code redis-cli --cluster create --cluster-replicas 1}.
 */
final class RedisCluster implements AutoCloseable {
  private final List<RedisNode> nodes;

  private RedisCluster(List<RedisNode> nodes) {
    this.nodes = nodes;
  }

  static RedisCluster start() {
    List<RedisNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisNode.start(
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "1000"));
      }
      List<String> create =
          new ArrayList<>(List.of(RedisNode.binary("redis-cli"), "--cluster", "create"));
      nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      String output = RedisNode.run(create);
      if (!output.contains("All 16384 slots covered")) {
        throw new IllegalStateException("cluster create failed: " + output);
      }
      RedisCluster cluster = new RedisCluster(nodes);
      FaultRun.poll(Duration.ofSeconds(30), "a healthy cluster with a synced replica per master",
          cluster::healthy);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisNode::close);
      throw e;
    }
  }

  private boolean healthy() {
    int syncedReplicas = 0;
    for (RedisNode node : nodes) {
      String info = node.cli("cluster", "info");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:6")) {
        return false;
      }
      if (node.cli("info", "replication").contains("master_link_status:up")) {
        syncedReplicas++;
      }
    }
    return syncedReplicas == 3;
  }

  List<String> uris() {
    return nodes.stream().map(RedisNode::uri).toList();
  }

  int slotOf(String key) {
    return Integer.parseInt(nodes.get(0).cli("cluster", "keyslot", key).trim());
  }

  /** The node that {@code asSeenBy} names as the master serving {@code slot}, or {@code null}. */
  RedisNode masterOf(int slot, RedisNode asSeenBy) {
    for (String line : asSeenBy.cli("cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being migrated
        }
        String[] range = f[i].split("-");
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          return nodes.stream().filter(n -> n.port() == port).findFirst().orElse(null);
        }
      }
    }
    return null;
  }

  /** Whether every live node names a live master for {@code slot} and reports the cluster ok. */
  boolean servedByLiveMaster(int slot) {
    for (RedisNode node : nodes) {
      if (!node.isAlive()) {
        continue;
      }
      RedisNode master = masterOf(slot, node);
      if (master == null || !master.isAlive()
          || !node.cli("cluster", "info").contains("cluster_state:ok")) {
        return false;
      }
    }
    return true;
  }

  RedisNode any() {
    return nodes.stream().filter(RedisNode::isAlive).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    nodes.forEach(RedisNode::close);
  }
}
