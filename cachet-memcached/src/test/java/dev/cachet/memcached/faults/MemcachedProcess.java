package dev.cachet.memcached.faults;

import dev.cachet.testing.faults.FaultRun;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code memcached} on a free loopback port that can be killed with SIGKILL, started again
 * on the same port (empty), and frozen with SIGSTOP. (The module's own helper is package-private.)
 */
final class MemcachedProcess implements AutoCloseable {
  private final int port;
  private Process process;

  private MemcachedProcess(int port) {
    this.port = port;
  }

  static MemcachedProcess start() {
    MemcachedProcess server = new MemcachedProcess(freePort());
    server.launch();
    return server;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(":")) {
      Path candidate = Path.of(dir, "memcached");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("memcached is not installed: apt-get install -y memcached");
  }

  private void launch() {
    try {
      process = new ProcessBuilder(
              binary(), "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-m", "64",
              "-t", "1", "-u", "nobody") // -u is needed (and only used) when running as root
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FaultRun.poll(Duration.ofSeconds(15), "memcached on port " + port, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("memcached on port " + port + " exited");
      }
      return answersVersion();
    });
  }

  private boolean answersVersion() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("version\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(8), StandardCharsets.US_ASCII).startsWith("VERSION");
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  String address() {
    return "127.0.0.1:" + port;
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

  /** Starts a fresh, empty process on the same port. */
  void restart() {
    launch();
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  void pause() {
    signal("STOP");
  }

  /** Resumes a frozen process (SIGCONT): requests queued meanwhile are answered, in order. */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
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
    if (process.isAlive()) {
      kill(); // SIGKILL also ends a frozen process
    }
  }

  @Override
  public String toString() {
    return "memcached " + address() + " " + List.of(process.pid());
  }
}
