package dev.cachet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server process for tests (a {@code redis-server}, a {@code memcached}): started on a
 * loopback port, in a temporary directory of its own where its output is captured ({@link
 * #log}), and ready once a probe says it answers, within {@link #STARTUP}. It can be killed
 * (SIGKILL), frozen (SIGSTOP) and resumed (SIGCONT), and started again on the same port. {@link
 * #close} stops it and deletes its directory; a process still running when the JVM exits is
 * killed then.
 *
 * <p>The server-specific helpers ({@link LocalServer}s) build on it: they give the command line
 * and the probe.
 */
public final class LocalServerProcess implements AutoCloseable {
  /** How long a server may take to answer after it is started. */
  public static final Duration STARTUP = Duration.ofSeconds(15);
  /** How often a start on a free port is tried: another process may take the port first. */
  private static final int ATTEMPTS = 3;

  private static final Set<LocalServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(server -> server.process.destroyForcibly()), "local-server-cleanup"));
  }

  /** A server's command line for its port and its directory, where it may first write files. */
  @FunctionalInterface
  public interface CommandLine {
    List<String> build(int port, Path dir) throws IOException;
  }

  /** Whether the server on loopback {@code port} answers yet; returns false rather than throw. */
  @FunctionalInterface
  public interface Probe {
    boolean answers(int port);
  }

  private final String name;
  private final int port;
  private final Path dir;
  private final CommandLine commandLine;
  private final Probe probe;
  private Process process;

  private LocalServerProcess(String name, int port, Path dir, CommandLine commandLine, Probe probe) {
    this.name = name;
    this.port = port;
    this.dir = dir;
    this.commandLine = commandLine;
    this.probe = probe;
  }

  /**
   * Starts {@code name} on a free loopback port; returns once {@code probe} says it answers. A
   * server that exits first is tried again on another port (it may have lost its port).
   *
   * @throws IllegalStateException if it does not answer: with its log
   */
  public static LocalServerProcess start(String name, CommandLine commandLine, Probe probe) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOn(freePort(0), name, commandLine, probe);
      } catch (ExitedEarly e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * As {@link #start}, on {@code port}, without a second try.
   *
   * @throws IllegalStateException if it does not answer: with its log
   */
  public static LocalServerProcess startOn(int port, String name, CommandLine commandLine, Probe probe) {
    LocalServerProcess server = create(port, name, commandLine, probe);
    try {
      server.launch();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static LocalServerProcess create(int port, String name, CommandLine commandLine, Probe probe) {
    try {
      Path dir = Files.createTempDirectory("cachet-" + name + "-");
      return new LocalServerProcess(name, port, dir, commandLine, probe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Thrown when the process exits before it answers. */
  private static final class ExitedEarly extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ExitedEarly(String message) {
      super(message);
    }
  }

  private void launch() {
    try {
      process = new ProcessBuilder(commandLine.build(port, dir))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RUNNING.add(this);
    try {
      Poll.until(STARTUP, this + " to answer", () -> {
        if (!process.isAlive()) {
          throw new ExitedEarly(this + " exited with " + process.exitValue() + ": " + log());
        }
        return probe.answers(port);
      });
    } catch (AssertionError e) {
      kill();
      throw new IllegalStateException(e.getMessage() + "; its log: " + log(), e);
    }
  }

  /**
   * A loopback port free now; with a {@code companionOffset} other than 0, one whose {@code port +
   * companionOffset} is free too (a Redis Cluster node's bus port).
   */
  public static int freePort(int companionOffset) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (companionOffset == 0
            || (port + companionOffset < 65536 && isFree(port + companionOffset))) {
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

  public int port() {
    return port;
  }

  /** The server's own directory, deleted on {@link #close}. */
  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What the server wrote to its standard output and error so far, for a failure message. */
  public String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the server at once (SIGKILL, as a crash; it ends a frozen one too), waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(this);
  }

  /**
   * Starts the server again on the same port, with the same command line, after killing it if it
   * still runs; returns once it answers. It starts empty unless it persisted something in {@link
   * #dir}.
   */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /** Freezes the process (SIGSTOP): its connections stay open and nothing is answered. */
  public void pause() {
    signal("STOP");
  }

  /** Resumes a frozen process (SIGCONT): what was sent meanwhile is answered, in order. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    Commands.runOrFail(dir, List.of("kill", "-" + signal, Long.toString(process.pid())));
  }

  /**
   * Stops the server (SIGCONT first, since a frozen process would not act on SIGTERM; then SIGTERM,
   * and SIGKILL if it has not exited within 5 s) and deletes its directory.
   */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      signal("CONT");
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
      }
    }
    RUNNING.remove(this);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  @Override
  public String toString() {
    return name + " on port " + port;
  }
}
