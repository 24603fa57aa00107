package dev.cachet.redis;

import dev.cachet.testing.Commands;
import dev.cachet.testing.LocalServerProcess;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster of three masters, each a {@link RedisServerProcess} with {@code
 * cluster-enabled yes}, joined by {@code redis-cli --cluster create}: without replicas ({@link
 * #start}), or with one replica each ({@link #startWithReplicas}), for failovers.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private static final int MASTERS = 3;
  /** The cluster-node-timeout of a cluster without replicas, and of a node started to join one. */
  private static final int NODE_TIMEOUT_MILLIS = 2000;

  private final List<RedisServerProcess> nodes;
  private final int replicasPerMaster;

  private RedisClusterProcess(List<RedisServerProcess> nodes, int replicasPerMaster) {
    this.nodes = nodes;
    this.replicasPerMaster = replicasPerMaster;
  }

  public static RedisClusterProcess start() {
    return start(null);
  }

  /**
   * A cluster whose nodes speak TLS only, to clients and to each other ({@code tls-cluster}),
   * with {@code certs}'s server certificate and without client certificates; {@code null}: plain.
   */
  public static RedisClusterProcess start(@Nullable TestCertificates certs) {
    return start(certs, 0, NODE_TIMEOUT_MILLIS);
  }

  /**
   * Three masters with one replica each ({@code cluster-node-timeout 1000}, so that a replica
   * takes over about a second after its master died); returns once every replica is in sync.
   */
  public static RedisClusterProcess startWithReplicas() {
    return start(null, 1, 1000);
  }

  private static RedisClusterProcess start(
      @Nullable TestCertificates certs, int replicasPerMaster, int nodeTimeoutMillis) {
    List<RedisServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS * (1 + replicasPerMaster); i++) {
        nodes.add(startNode(certs, nodeTimeoutMillis));
      }
      List<String> create = new ArrayList<>(List.of(RedisServerProcess.binary("redis-cli")));
      if (certs != null) {
        create.addAll(certs.cliArgs());
      }
      create.addAll(List.of("--cluster", "create"));
      for (RedisServerProcess node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
      String output = Commands.run(create);
      if (!output.contains("All 16384 slots covered")) {
        throw new IllegalStateException("cluster create failed: " + output);
      }
      RedisClusterProcess cluster = new RedisClusterProcess(nodes, replicasPerMaster);
      Poll.until(Duration.ofSeconds(30), "cluster_state:ok on every node, every replica in sync", cluster::healthy);
      return cluster;
    } catch (RuntimeException | AssertionError e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    }
  }

  /**
   * A cluster-enabled server in no cluster yet, on a port whose cluster bus port is free too, to
   * join a cluster by {@code CLUSTER MEET}.
   */
  public static RedisServerProcess startNode() {
    return startNode(null, NODE_TIMEOUT_MILLIS);
  }

  private static RedisServerProcess startNode(@Nullable TestCertificates certs, int nodeTimeoutMillis) {
    int port = LocalServerProcess.freePort(10000);
    String[] args = {"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Integer.toString(nodeTimeoutMillis)};
    return certs == null ? RedisServerProcess.startOn(port, args) : RedisServerProcess.startTlsOn(
        port, certs, "no", concat(args, "--tls-cluster", "yes", "--tls-replication", "yes"));
  }

  private boolean healthy() {
    int syncedReplicas = 0;
    for (RedisServerProcess node : nodes) {
      String info = node.cli("cluster", "info");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes.size())) {
        return false;
      }
      if (replicasPerMaster > 0 && node.cli("info", "replication").contains("master_link_status:up")) {
        syncedReplicas++;
      }
    }
    return syncedReplicas == MASTERS * replicasPerMaster;
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Every node, in the order started: with replicas, {@code redis-cli} made the first three masters. */
  public List<RedisServerProcess> nodes() {
    return nodes;
  }

  /** Seed URIs, one per node. */
  public List<String> uris() {
    return nodes.stream().map(RedisServerProcess::uri).toList();
  }

  /** The number of keys each node holds, in node order. */
  public List<Long> keyCounts() {
    return nodes.stream().map(n -> Long.parseLong(n.cli("dbsize").trim())).toList();
  }

  /** The slot of {@code key} ({@code CLUSTER KEYSLOT}). */
  public int slotOf(String key) {
    return Integer.parseInt(any().cli("cluster", "keyslot", key).trim());
  }

  /**
   * The node that {@code asSeenBy} names ({@code CLUSTER NODES}) as the master serving {@code
   * slot}, not marked failed; {@code null} when it names none.
   */
  public @Nullable RedisServerProcess masterOf(int slot, RedisServerProcess asSeenBy) {
    for (String line : asSeenBy.cli("cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being migrated or imported
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
  public boolean servedByLiveMaster(int slot) {
    for (RedisServerProcess node : nodes) {
      if (!node.isAlive()) {
        continue;
      }
      RedisServerProcess master = masterOf(slot, node);
      if (master == null || !master.isAlive() || !node.cli("cluster", "info").contains("cluster_state:ok")) {
        return false;
      }
    }
    return true;
  }

  /** The node's cluster node id ({@code CLUSTER MYID}). */
  public String nodeId(RedisServerProcess node) {
    return node.cli("cluster", "myid").trim();
  }

  /** The masters that serve slots, in node-id order: the order in which the store scans them. */
  public List<RedisServerProcess> mastersByNodeId() {
    List<RedisServerProcess> masters = new ArrayList<>();
    for (RedisServerProcess node : nodes) {
      String[] own = node.cli("cluster", "nodes").lines().filter(l -> l.contains("myself"))
          .findFirst().orElseThrow().trim().split(" ");
      if (own[2].contains("master") && own.length > 8) {
        masters.add(node);
      }
    }
    masters.sort(java.util.Comparator.comparing(this::nodeId));
    return masters;
  }

  /**
   * The first steps of {@code redis-cli --cluster reshard} for one slot: {@code to} imports it,
   * {@code from} migrates it, and its keys are moved by {@code MIGRATE}. Clients are sent to
   * {@code to} by {@code ASK} from then on; {@link #endSlotMove} makes {@code to} its owner.
   */
  public void beginSlotMove(int slot, RedisServerProcess from, RedisServerProcess to) {
    String s = Integer.toString(slot);
    to.cli("cluster", "setslot", s, "importing", nodeId(from));
    from.cli("cluster", "setslot", s, "migrating", nodeId(to));
    while (true) {
      List<String> keys = from.cli("cluster", "getkeysinslot", s, "100").lines()
          .filter(l -> !l.isBlank()).toList();
      if (keys.isEmpty()) {
        return;
      }
      List<String> migrate = new ArrayList<>(
          List.of("migrate", "127.0.0.1", Integer.toString(to.port()), "", "0", "5000", "keys"));
      migrate.addAll(keys);
      String reply = from.cli(migrate.toArray(String[]::new));
      if (!reply.contains("OK")) {
        throw new IllegalStateException("MIGRATE failed: " + reply);
      }
    }
  }

  /** The last step of moving a slot: every master names {@code to} its owner ({@code SETSLOT NODE}). */
  public void endSlotMove(int slot, RedisServerProcess to) {
    String id = nodeId(to);
    to.cli("cluster", "setslot", Integer.toString(slot), "node", id); // the importer first, as redis-cli
    for (RedisServerProcess master : mastersByNodeId()) {
      if (master != to) {
        master.cli("cluster", "setslot", Integer.toString(slot), "node", id);
      }
    }
  }

  /** Moves {@code slot} and its keys from {@code from} to {@code to}, as a reshard does. */
  public void moveSlot(int slot, RedisServerProcess from, RedisServerProcess to) {
    beginSlotMove(slot, from, to);
    endSlotMove(slot, to);
  }

  /** A live node. */
  public RedisServerProcess any() {
    return nodes.stream().filter(RedisServerProcess::isAlive).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }
}
