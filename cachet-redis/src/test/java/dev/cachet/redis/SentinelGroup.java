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
 * failover can pick it. A TLS group ({@link #startTls}) speaks TLS only, on every link: clients
 * to servers and Sentinels, replication, Sentinels to servers and to each other (or, {@link
 * #startTlsBehindPlainSentinels}, all but clients to Sentinels). Closes
 * everything, Sentinels first. Public for the starter's tests, which take it from this module's
 * test-jar.
 */
public final class SentinelGroup implements AutoCloseable {
  public static final String NAME = "cachet";
  /** How long the master must be unreachable before the first Sentinel deems it down. */
  static final Duration DOWN_AFTER = Duration.ofMillis(1000);
  private static final Duration READY = Duration.ofSeconds(30);

  private final @Nullable String password;
  private final boolean sentinelsToo;
  private final @Nullable TestCertificates tls;
  /** Whether the Sentinels, too, listen with TLS (only), in a TLS group. */
  private final boolean tlsSentinels;
  private final List<RedisServerProcess> servers = new ArrayList<>();
  private final List<SentinelProcess> sentinels = new ArrayList<>();
  private final Map<Integer, RedisAdmin> admins = new HashMap<>();

  private SentinelGroup(
      @Nullable String password, boolean sentinelsToo, @Nullable TestCertificates tls,
      boolean tlsSentinels) {
    this.password = password;
    this.sentinelsToo = sentinelsToo;
    this.tls = tls;
    this.tlsSentinels = tlsSentinels;
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
    return launched(new SentinelGroup(password, sentinelsToo, null, false), sentinelCount, true);
  }

  /**
   * Starts a master, a replica and {@code sentinelCount} Sentinels, all speaking TLS only with
   * {@code certs}'s server certificate (which {@code certs}'s CA signed) and asking clients for
   * none; no passwords. The caller closes {@code certs} after the group.
   */
  public static SentinelGroup startTls(int sentinelCount, TestCertificates certs) {
    return launched(new SentinelGroup(null, false, certs, true), sentinelCount, true);
  }

  /**
   * As {@link #startTls(int, TestCertificates)}; without {@code failoverReady}, it returns once
   * the processes answer, before the Sentinels know the replica (which takes them some seconds):
   * for tests that fail nothing over.
   */
  public static SentinelGroup startTls(int sentinelCount, TestCertificates certs, boolean failoverReady) {
    return launched(new SentinelGroup(null, false, certs, true), sentinelCount, failoverReady);
  }

  /**
   * As {@link #startTls(int, TestCertificates, boolean)}, but the Sentinels listen without TLS
   * (they still reach the servers over TLS): a client asks them over plain TCP and connects to
   * the master over TLS. There is no {@link #uri} string for that.
   */
  static SentinelGroup startTlsBehindPlainSentinels(
      int sentinelCount, TestCertificates certs, boolean failoverReady) {
    return launched(new SentinelGroup(null, false, certs, false), sentinelCount, failoverReady);
  }

  private static SentinelGroup launched(SentinelGroup group, int sentinelCount, boolean failoverReady) {
    try {
      group.launch(sentinelCount, failoverReady);
      return group;
    } catch (RuntimeException | AssertionError e) {
      group.close();
      throw e;
    }
  }

  private void launch(int sentinelCount, boolean failoverReady) {
    List<String> auth = password == null
        ? List.of()
        : List.of("--requirepass", password, "--masterauth", password);
    List<String> masterArgs = new ArrayList<>(auth);
    // A master waits 5 s by default before it streams a full sync, for more replicas to join.
    masterArgs.addAll(List.of("--repl-diskless-sync-delay", "0"));
    if (tls != null) {
      // Both servers: the master becomes a replica itself after a failover.
      masterArgs.addAll(List.of("--tls-replication", "yes"));
    }
    RedisServerProcess master = server(masterArgs);
    servers.add(master);
    List<String> replicaArgs = new ArrayList<>(masterArgs);
    replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    RedisServerProcess replica = server(replicaArgs);
    servers.add(replica);
    Poll.until(READY, "the replica to sync with the master",
        () -> admin(replica).redis().info("replication").contains("master_link_status:up"));
    for (int i = 0; i < sentinelCount; i++) {
      // Staggered: the first Sentinel deems a dead master down first and is elected to fail it
      // over. Sentinels that notice together may split their votes, and then wait twice the
      // failover timeout before trying again (seen: 8 to 15 s instead of 2 s).
      Duration downAfter = DOWN_AFTER.plusSeconds(2L * i);
      sentinels.add(SentinelProcess.start(
          NAME, master.port(), downAfter, password, sentinelsToo ? password : null, tls,
          tlsSentinels));
    }
    for (SentinelProcess sentinel : failoverReady ? sentinels : List.<SentinelProcess>of()) {
      Poll.until(READY, "Sentinel " + sentinel.address() + " to know a healthy replica and its peers",
          () -> knowsReplica(sentinel, replica.port())
              && Integer.parseInt(sentinel.sentinel().master(NAME).get("num-other-sentinels"))
                  == sentinelCount - 1);
    }
  }

  private RedisServerProcess server(List<String> args) {
    String[] array = args.toArray(String[]::new);
    return tls == null ? RedisServerProcess.start(array) : RedisServerProcess.startTls(tls, "no", array);
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
   * which Lettuce uses for the master and not for the Sentinels); {@code rediss-sentinel://} for
   * a TLS group.
   *
   * @throws IllegalStateException for a group whose servers speak TLS and Sentinels not
   */
  public String uri() {
    if (tls != null && !tlsSentinels) {
      throw new IllegalStateException("no URI string has TLS for the master only");
    }
    String auth = password == null ? "" : ":" + password + "@";
    return (tls == null ? "redis-sentinel://" : "rediss-sentinel://") + auth
        + SentinelProcess.addresses(sentinels) + "?sentinelMasterId=" + NAME;
  }

  /** The master the group started with. */
  public RedisServerProcess master() {
    return servers.get(0);
  }

  /** The replica the group started with. */
  RedisServerProcess replica() {
    return servers.get(1);
  }

  /**
   * The Sentinels' addresses, {@code host:port} comma-separated, as Spring Boot's {@code
   * spring.data.redis.sentinel.nodes} lists them.
   */
  public String sentinelNodes() {
    return SentinelProcess.addresses(sentinels);
  }

  /** The server the first live Sentinel names as the master now. */
  public RedisServerProcess currentMaster() {
    int port = masterPort();
    return servers.stream().filter(s -> s.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("the Sentinels name an unknown master: " + port));
  }

  /** The server the first live Sentinel does not name as the master now. */
  RedisServerProcess currentReplica() {
    int port = masterPort();
    return servers.stream().filter(s -> s.port() != port).findFirst().orElseThrow();
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
    String auth = password == null ? "" : ":" + password + "@";
    // Over TLS by name: the server certificate may name localhost only.
    String address = tls == null ? "redis://" + auth + "127.0.0.1:" : "rediss://" + auth + "localhost:";
    return admins.computeIfAbsent(server.port(), port -> new RedisAdmin(
        address + port, tls == null ? null : tls.trust()));
  }

  /** The logs of every Sentinel, for a failure message. */
  String sentinelLogs() {
    StringBuilder logs = new StringBuilder();
    for (SentinelProcess sentinel : sentinels) {
      logs.append("--- Sentinel ").append(sentinel.address()).append('\n').append(sentinel.log());
    }
    return logs.toString();
  }

  /** Stops every process, Sentinels first. */
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
