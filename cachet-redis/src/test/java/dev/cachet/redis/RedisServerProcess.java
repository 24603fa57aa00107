package dev.cachet.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} on a free loopback port, in its own temporary directory, without
 * persistence. Can be killed (SIGKILL), paused (SIGSTOP) and restarted on the same port. A TLS
 * server ({@link #startTls}) listens with TLS only, on that port.
 */
final class RedisServerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private final @Nullable TestCertificates tls;
  private Process process;

  private RedisServerProcess(Path dir, int port, List<String> extraArgs, @Nullable TestCertificates tls) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.tls = tls;
  }

  /** Starts a server on a free port with {@code extraArgs} (e.g. {@code "--maxmemory", "1mb"}). */
  static RedisServerProcess start(String... extraArgs) {
    return startOn(freePort(0), extraArgs);
  }

  static RedisServerProcess startOn(int port, String... extraArgs) {
    return launchOn(port, null, List.of(extraArgs));
  }

  /**
   * Starts a server on a free port that speaks TLS only ({@code --port 0}), with {@code certs}'s
   * server certificate; {@code authClients} is its {@code tls-auth-clients} ({@code no}, {@code
   * yes}).
   */
  static RedisServerProcess startTls(TestCertificates certs, String authClients, String... extraArgs) {
    return startTlsOn(freePort(0), certs, authClients, extraArgs);
  }

  static RedisServerProcess startTlsOn(int port, TestCertificates certs, String authClients, String... extraArgs) {
    List<String> args = new ArrayList<>(certs.serverArgs(authClients));
    args.addAll(List.of(extraArgs));
    return launchOn(port, certs, args);
  }

  private static RedisServerProcess launchOn(int port, @Nullable TestCertificates tls, List<String> extraArgs) {
    try {
      RedisServerProcess server =
          new RedisServerProcess(Files.createTempDirectory("cachet-redis-"), port, extraArgs, tls);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loopback port free now, whose cluster bus port ({@code port + busOffset}) is free too. */
  static int freePort(int busOffset) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (busOffset == 0 || (port + busOffset < 65536 && isFree(port + busOffset))) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port pair found");
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
    throw new IllegalStateException(name + " not found: install it (apt-get install -y redis-server)");
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        binary("redis-server"), "--port", tls == null ? Integer.toString(port) : "0", "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
        "--loglevel", "warning"));
    if (tls != null) {
      command.addAll(List.of("--tls-port", Integer.toString(port)));
    }
    command.addAll(extraArgs);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
        .start();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "redis-server on port " + port + " did not start: " + Files.readString(dir.resolve("server.log")));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private boolean answersPing() {
    // A TLS server is up once it listens: a handshake made before its event loop runs just waits.
    return tls == null ? answersPing(port) : accepts(port);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a Redis server (or Sentinel) on loopback {@code port} answers a {@code PING}. */
  static boolean answersPing(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
      // A server started with requirepass refuses PING before AUTH: it is up all the same.
      return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:port}, or {@code rediss://} for a TLS server. */
  String uri() {
    return (tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
  }

  /** The {@code redis-cli} arguments that reach this server (over TLS for a TLS server). */
  List<String> cliArgs() {
    List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
    if (tls != null) {
      args.addAll(tls.cliArgs());
    }
    return args;
  }

  Path dir() {
    return dir;
  }

  long pid() {
    return process.pid();
  }

  /** Kills the server at once (SIGKILL) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, empty. */
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

  /** Resumes a paused process (SIGCONT). */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    signal(process, name);
  }

  /** Sends signal {@code name} ({@code STOP}, {@code CONT}) to {@code process}, as {@code kill} does. */
  static void signal(Process process, String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop(process, dir);
  }

  /**
   * Stops {@code process} (SIGTERM, after SIGCONT since a paused process ignores it; SIGKILL if it
   * has not exited within 5 s) and deletes its directory {@code dir}.
   */
  static void stop(@Nullable Process process, Path dir) {
    if (process != null && process.isAlive()) {
      signal(process, "CONT");
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
