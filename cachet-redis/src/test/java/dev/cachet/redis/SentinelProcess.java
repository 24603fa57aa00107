package dev.cachet.redis;

import dev.cachet.testing.LocalServer;
import dev.cachet.testing.LocalServerProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Sentinel ({@code redis-server <config> --sentinel}, a {@link LocalServer}) on a
 * free loopback port, monitoring one master with quorum 1. Its configuration is generated here;
 * the timeouts are short so that a test sees a failover within seconds. Can be killed (SIGKILL)
 * and paused (SIGSTOP; its port still accepts connections); {@link #sentinel()} sends it {@code
 * SENTINEL} commands. A Sentinel may reach the servers and the other Sentinels over TLS ({@code
 * tls-replication yes}), and listen with TLS only.
 */
final class SentinelProcess implements LocalServer {
  private final LocalServerProcess process;
  private final @Nullable String ownPassword;
  /** The certificates of the TLS its clients speak to it, or {@code null} for plain TCP. */
  private final @Nullable TestCertificates tls;
  private @Nullable RedisClient client;
  private @Nullable StatefulRedisSentinelConnection<String, String> connection;

  private SentinelProcess(
      LocalServerProcess process, @Nullable String ownPassword, @Nullable TestCertificates tls) {
    this.process = process;
    this.ownPassword = ownPassword;
    this.tls = tls;
  }

  /**
   * Starts a Sentinel monitoring {@code 127.0.0.1:masterPort} as {@code name}.
   *
   * @param downAfter how long the master must be unreachable before this Sentinel deems it down
   * @param password the master's {@code requirepass}, or {@code null}
   * @param ownPassword this Sentinel's own {@code requirepass}, or {@code null}
   */
  static SentinelProcess start(
      String name, int masterPort, Duration downAfter, @Nullable String password,
      @Nullable String ownPassword) {
    return start(name, masterPort, downAfter, password, ownPassword, null, false);
  }

  /**
   * As {@link #start(String, int, Duration, String, String)}; with {@code tls}, the Sentinel
   * connects to the master at {@code masterPort}, its replicas and the other Sentinels over TLS
   * ({@code tls-replication yes}), and with {@code tlsForClients} too it listens with TLS only,
   * presenting {@code tls}'s server certificate and asking no client certificate.
   */
  static SentinelProcess start(
      String name, int masterPort, Duration downAfter, @Nullable String password,
      @Nullable String ownPassword, @Nullable TestCertificates tls, boolean tlsForClients) {
    if (tlsForClients && tls == null) {
      throw new IllegalArgumentException("TLS for clients needs certificates");
    }
    LocalServerProcess process = LocalServerProcess.start("redis-sentinel", (port, dir) -> {
      // Sentinel rewrites its configuration file (epochs, known replicas and Sentinels), so it
      // must be a writable file of its own, not command-line options.
      StringBuilder config = new StringBuilder();
      if (tlsForClients) {
        // The hello messages of a Sentinel with tls-replication announce its TLS port.
        config.append("port 0\n").append("tls-port ").append(port).append('\n');
      } else {
        config.append("port ").append(port).append('\n');
      }
      if (tls != null) {
        // The Sentinel's own connections (to the servers and the other Sentinels) speak TLS.
        config.append("tls-replication yes\n").append(tls.serverConfig("no"));
      }
      config
          .append("bind 127.0.0.1\n")
          .append("daemonize no\n")
          .append("dir ").append(dir).append('\n')
          .append("sentinel monitor ").append(name).append(" 127.0.0.1 ").append(masterPort)
          .append(" 1\n")
          .append("sentinel down-after-milliseconds ").append(name).append(' ')
          .append(downAfter.toMillis()).append('\n')
          // Twice this is how long a Sentinel waits before it tries a failover of this master
          // again, e.g. after a split vote of two Sentinels.
          .append("sentinel failover-timeout ").append(name).append(" 3000\n");
      if (password != null) {
        config.append("sentinel auth-pass ").append(name).append(' ').append(password).append('\n');
      }
      if (ownPassword != null) {
        config.append("requirepass ").append(ownPassword).append('\n');
      }
      Path file = dir.resolve("sentinel.conf");
      Files.writeString(file, config);
      return List.of(RedisServerProcess.binary("redis-server"), file.toString(), "--sentinel");
    }, tlsForClients ? RedisServerProcess::accepts : RedisServerProcess::answersPing);
    return new SentinelProcess(process, ownPassword, tlsForClients ? tls : null);
  }

  /** {@code host:port}, as a {@code redis-sentinel://} URI lists it. */
  String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public LocalServerProcess process() {
    return process;
  }

  /** {@code SENTINEL} commands to this Sentinel, on a connection made on first use. */
  synchronized RedisSentinelCommands<String, String> sentinel() {
    if (connection == null) {
      client = RedisClient.create();
      if (tls != null) {
        client.setOptions(ClientOptions.builder().sslOptions(tls.trust()).build());
      }
      String auth = ownPassword == null ? "" : ":" + ownPassword + "@";
      // Over TLS by name: the server certificate may name localhost only.
      String address = tls == null ? "redis://" + auth + "127.0.0.1:" : "rediss://" + auth + "localhost:";
      connection = client.connectSentinel(RedisURI.create(address + port()));
      connection.setTimeout(Duration.ofSeconds(5));
    }
    return connection.sync();
  }

  /** This Sentinel's log, for a failure message. */
  String log() {
    return process.log();
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      client.shutdown(0, 2, TimeUnit.SECONDS);
      connection = null;
    }
    process.close();
  }

  /** The addresses of {@code sentinels}, comma-separated, as a {@code redis-sentinel://} URI. */
  static String addresses(List<SentinelProcess> sentinels) {
    return String.join(",", sentinels.stream().map(SentinelProcess::address).toList());
  }
}
