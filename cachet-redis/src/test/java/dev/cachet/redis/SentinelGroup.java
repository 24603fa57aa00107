package dev.cachet.redis;

import dev.cachet.testing.Poll;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Sentinel-managed master, all real processes on loopback: a master and one replica
 * ({@link RedisServerProcess}, the replica started with {@code --replicaof}) and one or more
 * {@link SentinelProcess}es monitoring them as {@link #NAME}. {@link #start} returns once the
 * replica is in sync and every Sentinel knows the replica (and the other Sentinels), so that a
 * failover can pick it. Closes everything, Sentinels first.
 */
final class SentinelGroup implements AutoCloseable {
  static final String NAME = "cachet";
  /** How long the master must be unreachable before the first Sentinel deems it down. */
  static final Duration DOWN_AFTER = Duration.ofMillis(1000);
  private static final Duration READY = Duration.ofSeconds(30);

  private final @Nullable String password;
  private final boolean sentinelsToo;
  private final List<RedisServerProcess> servers = new ArrayList<>();
  private final List<SentinelProcess> sentinels = new ArrayList<>();
  private final Map<Integer, RedisAdmin> admins = new HashMap<>();

  private SentinelGroup(@Nullable String password, boolean sentinelsToo) {
    this.password = password;
    this.sentinelsToo = sentinelsToo;
  }

  /**
   * Starts a master, a replica and {@code sentinelCount} Sentinels.
   *
   * @param password {@code requirepass} and {@code masterauth} of both servers and the
   *     Sentinels' {@code auth-pass}; {@code null} for none
   */
  static SentinelGroup start(int sentinelCount, @Nullable String password) {
    return start(sentinelCount, password, false);
  }

  /**
   * As {@link #start(int, String)}; with {@code sentinelsToo}, the Sentinels require the same
   * password ({@code requirepass}) of their clients.
   */
  static SentinelGroup start(
      int sentinelCount, @Nullable String password, boolean sentinelsToo) {
    SentinelGroup group = new SentinelGroup(password, sentinelsToo);
    try {
      group.launch(sentinelCount);
      return group;
    } catch (RuntimeException | AssertionError e) {
      group.close();
      throw e;
    }
  }

  private void launch(int sentinelCount) {
    List<String> auth = password == null
        ? List.of()
        : List.of("--requirepass", password, "--masterauth", password);
    RedisServerProcess master = RedisServerProcess.start(auth.toArray(String[]::new));
    servers.add(master);
    List<String> replicaArgs = new ArrayList<>(auth);
    replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    RedisServerProcess replica = RedisServerProcess.start(replicaArgs.toArray(String[]::new));
    servers.add(replica);
    Poll.until(READY, "the replica to sync with the master",
        () -> admin(replica).redis().info("replication").contains("master_link_status:up"));
    for (int i = 0; i < sentinelCount; i++) {
      // Staggered: the first Sentinel deems a dead master down first and is elected to fail it
      // over. Sentinels that notice together may split their votes, and then wait twice the
      // failover timeout before trying again (seen: 8 to 15 s instead of 2 s).
      Duration downAfter = DOWN_AFTER.plusSeconds(2L * i);
      sentinels.add(SentinelProcess.start(
          NAME, master.port(), downAfter, password, sentinelsToo ? password : null));
    }
    for (SentinelProcess sentinel : sentinels) {
      Poll.until(READY, "Sentinel " + sentinel.address() + " to know a healthy replica and its peers",
          () -> knowsReplica(sentinel, replica.port())
              && Integer.parseInt(sentinel.sentinel().master(NAME).get("num-other-sentinels"))
                  == sentinelCount - 1);
    }
  }

  private static boolean knowsReplica(SentinelProcess sentinel, int port) {
    for (Map<String, String> r : sentinel.sentinel().replicas(NAME)) {
      if (r.get("port").equals(Integer.toString(port)) && r.get("flags").equals("slave")
          && "ok".equals(r.get("master-link-status"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The store's URI: every Sentinel, in start order, and the master's name (and the password,
   * which Lettuce uses for the master and not for the Sentinels).
   */
  String uri() {
    String auth = password == null ? "" : ":" + password + "@";
    return "redis-sentinel://" + auth + SentinelProcess.addresses(sentinels)
        + "?sentinelMasterId=" + NAME;
  }

  /** The master the group started with. */
  RedisServerProcess master() {
    return servers.get(0);
  }

  /** The replica the group started with. */
  RedisServerProcess replica() {
    return servers.get(1);
  }

  List<SentinelProcess> sentinels() {
    return sentinels;
  }

  /** The port the first live Sentinel names as the master now. */
  int masterPort() {
    for (SentinelProcess sentinel : sentinels) {
      if (sentinel.isAlive()) {
        SocketAddress address = sentinel.sentinel().getMasterAddrByName(NAME);
        return ((InetSocketAddress) address).getPort();
      }
    }
    throw new IllegalStateException("no Sentinel is alive");
  }

  /** Whether every live Sentinel names {@code server} as the master. */
  boolean everySentinelNames(RedisServerProcess server) {
    for (SentinelProcess sentinel : sentinels) {
      if (sentinel.isAlive()) {
        SocketAddress address = sentinel.sentinel().getMasterAddrByName(NAME);
        if (((InetSocketAddress) address).getPort() != server.port()) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code SENTINEL FAILOVER}, through the first Sentinel: a failover without agreement. */
  void failover() {
    failover(0);
  }

  /**
   * {@code SENTINEL FAILOVER} through the Sentinel at {@code index}; the others learn the new
   * master from it a little later (its hello messages, every 2 s).
   */
  void failover(int index) {
    String reply = sentinels.get(index).sentinel().failover(NAME);
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("SENTINEL FAILOVER answered " + reply);
    }
  }

  /** {@code master} or {@code slave}, as {@code ROLE} reports it. */
  String role(RedisServerProcess server) {
    return String.valueOf(admin(server).redis().role().get(0));
  }

  /** An admin connection to {@code server}, authenticated if the group has a password. */
  synchronized RedisAdmin admin(RedisServerProcess server) {
    return admins.computeIfAbsent(server.port(), port -> new RedisAdmin(
        password == null ? server.uri() : "redis://:" + password + "@127.0.0.1:" + port));
  }

  /** The logs of every Sentinel, for a failure message. */
  String sentinelLogs() {
    StringBuilder logs = new StringBuilder();
    for (SentinelProcess sentinel : sentinels) {
      logs.append("--- Sentinel ").append(sentinel.address()).append('\n').append(sentinel.log());
    }
    return logs.toString();
  }

  @Override
  public synchronized void close() {
    // Sentinels first: a server stopping under a live Sentinel would start a failover.
    for (SentinelProcess sentinel : sentinels) {
      sentinel.close();
    }
    for (RedisAdmin admin : admins.values()) {
      try {
        admin.close();
      } catch (RuntimeException e) {
        // The server may be dead already; the connection is gone with it.
      }
    }
    admins.clear();
    for (RedisServerProcess server : servers) {
      server.close();
    }
  }
}
