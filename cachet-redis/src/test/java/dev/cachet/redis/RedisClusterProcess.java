package dev.cachet.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster of three masters without replicas, each a {@link RedisServerProcess} with
 * {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create}.
 */
final class RedisClusterProcess implements AutoCloseable {
  private final List<RedisServerProcess> nodes;

  private RedisClusterProcess(List<RedisServerProcess> nodes) {
    this.nodes = nodes;
  }

  static RedisClusterProcess start() {
    return start(null);
  }

  /**
   * A cluster whose nodes speak TLS only, to clients and to each other ({@code tls-cluster}),
   * with {@code certs}'s server certificate and without client certificates; {@code null}: plain.
   */
  static RedisClusterProcess start(@Nullable TestCertificates certs) {
    List<RedisServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int port = RedisServerProcess.freePort(10000);
        String[] args = {"--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
            "--cluster-node-timeout", "2000"};
        nodes.add(certs == null ? RedisServerProcess.startOn(port, args) : RedisServerProcess.startTlsOn(
            port, certs, "no", concat(args, "--tls-cluster", "yes", "--tls-replication", "yes")));
      }
      List<String> create = new ArrayList<>(List.of(RedisServerProcess.binary("redis-cli")));
      if (certs != null) {
        create.addAll(certs.cliArgs());
      }
      create.addAll(List.of("--cluster", "create"));
      for (RedisServerProcess node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String output = run(create);
      if (!output.contains("All 16384 slots covered")) {
        throw new IllegalStateException("cluster create failed: " + output);
      }
      RedisClusterProcess cluster = new RedisClusterProcess(nodes);
      Poll.until(Duration.ofSeconds(20), "cluster_state:ok on every node", cluster::allOk);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    }
  }

  private boolean allOk() {
    for (RedisServerProcess node : nodes) {
      String info = cli(node, "cluster", "info");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:3")) {
        return false;
      }
    }
    return true;
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Runs {@code redis-cli} against {@code node}; returns its output. */
  static String cli(RedisServerProcess node, String... args) {
    List<String> command = new ArrayList<>(List.of(RedisServerProcess.binary("redis-cli")));
    command.addAll(node.cliArgs());
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) {
    try {
      // Output goes to a file, not a pipe read to its end: a hung redis-cli must meet the timeout.
      Path log = Files.createTempFile("redis-cli", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + command + "; output: "
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  List<RedisServerProcess> nodes() {
    return nodes;
  }

  /** Seed URIs, one per node. */
  List<String> uris() {
    return nodes.stream().map(RedisServerProcess::uri).toList();
  }

  /** The number of keys each master holds, in node order. */
  List<Long> keyCounts() {
    return nodes.stream().map(n -> Long.parseLong(cli(n, "dbsize").trim())).toList();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }
}
