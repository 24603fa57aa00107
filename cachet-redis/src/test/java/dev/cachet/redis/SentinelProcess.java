package dev.cachet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Sentinel ({@code redis-server <config> --sentinel}) on a free loopback port, in
 * its own temporary directory, monitoring one master with quorum 1. Its configuration is
 * generated here; the timeouts are short so that a test sees a failover within seconds. Can be
 * killed (SIGKILL); {@link #sentinel()} sends it {@code SENTINEL} commands.
 */
final class SentinelProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final Process process;
  private final @Nullable String ownPassword;
  private @Nullable RedisClient client;
  private @Nullable StatefulRedisSentinelConnection<String, String> connection;

  private SentinelProcess(Path dir, int port, Process process, @Nullable String ownPassword) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.ownPassword = ownPassword;
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
    try {
      Path dir = Files.createTempDirectory("cachet-sentinel-");
      int port = RedisServerProcess.freePort(0);
      // Sentinel rewrites its configuration file (epochs, known replicas and Sentinels), so it
      // must be a writable file of its own, not command-line options.
      StringBuilder config = new StringBuilder()
          .append("port ").append(port).append('\n')
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
      Process process = new ProcessBuilder(
              RedisServerProcess.binary("redis-server"), file.toString(), "--sentinel")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile()))
          .start();
      SentinelProcess sentinel = new SentinelProcess(dir, port, process, ownPassword);
      try {
        Poll.until(STARTUP, "redis-server --sentinel on port " + port + " to answer",
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("Sentinel exited: " + sentinel.log());
              }
              return RedisServerProcess.answersPing(port);
            });
      } catch (RuntimeException | AssertionError e) {
        sentinel.close();
        throw e;
      }
      return sentinel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** {@code host:port}, as a {@code redis-sentinel://} URI lists it. */
  String address() {
    return "127.0.0.1:" + port;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** {@code SENTINEL} commands to this Sentinel, on a connection made on first use. */
  synchronized RedisSentinelCommands<String, String> sentinel() {
    if (connection == null) {
      client = RedisClient.create();
      String auth = ownPassword == null ? "" : ":" + ownPassword + "@";
      connection = client.connectSentinel(RedisURI.create("redis://" + auth + "127.0.0.1:" + port));
      connection.setTimeout(Duration.ofSeconds(5));
    }
    return connection.sync();
  }

  /** This Sentinel's log, for a failure message. */
  String log() {
    try {
      return Files.readString(dir.resolve("sentinel.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the Sentinel at once (SIGKILL) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes the Sentinel (SIGSTOP): its port accepts connections, nothing is answered. */
  void pause() {
    signal("STOP");
  }

  /** Resumes a paused Sentinel (SIGCONT). */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    RedisServerProcess.signal(process, name);
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      client.shutdown(0, 2, TimeUnit.SECONDS);
      connection = null;
    }
    RedisServerProcess.stop(process, dir);
  }

  /** The addresses of {@code sentinels}, comma-separated, as a {@code redis-sentinel://} URI. */
  static String addresses(List<SentinelProcess> sentinels) {
    return String.join(",", sentinels.stream().map(SentinelProcess::address).toList());
  }
}
