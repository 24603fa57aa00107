package dev.cachet.redis.faults;

import dev.cachet.testing.faults.FaultRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a loopback port, without persistence, that can be killed with
 * SIGKILL and started again on the same port. (The module's own helper is package-private.)
 */
final class RedisNode implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private RedisNode(Path dir, int port, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** Starts a server on a free port (whose cluster bus port, +10000, is free too). */
  static RedisNode start(String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("cachet-faults-");
      RedisNode node = new RedisNode(dir, freePort(), List.of(extraArgs));
      node.launch();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port + 10000 < 65536 && isFree(port + 10000)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port pair");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  static String binary(String name) {
    for (String candidate : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException(name + " not found: apt-get install -y redis-server");
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        binary("redis-server"), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
        "--loglevel", "warning"));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
        .start();
    FaultRun.poll(Duration.ofSeconds(15), "redis-server on port " + port, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: " + log());
      }
      return cli("ping").trim().equals("PONG");
    });
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crash; waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port (empty: nothing is persisted). */
  void restart() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  void pause() {
    signal("STOP");
  }

  /** Resumes a frozen process (SIGCONT): what was sent meanwhile is answered, in order. */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    String out = run(List.of("kill", "-" + name, Long.toString(process.pid())));
    if (!out.isBlank()) {
      throw new IllegalStateException("kill -" + name + " failed: " + out);
    }
  }

  /** Runs {@code redis-cli} against this node; its output, or the error text. */
  String cli(String... args) {
    List<String> command = new ArrayList<>(List.of(
        binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill(); // SIGKILL also ends a frozen process
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
