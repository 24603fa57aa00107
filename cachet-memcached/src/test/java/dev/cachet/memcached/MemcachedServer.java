package dev.cachet.memcached;

import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code memcached} process on a free loopback port, for tests: started by {@link
 * #start}, ready once it answers {@code version}, killed by {@link #close}. Also speaks enough of
 * the text protocol to read statistics and raw items without the client under test.
 */
final class MemcachedServer implements AutoCloseable {
  private static final long READY_TIMEOUT_MILLIS = 10_000;

  private final List<String> extraArgs;
  private final int port;
  private Process process;

  private MemcachedServer(int port, List<String> extraArgs, Process process) {
    this.port = port;
    this.extraArgs = extraArgs;
    this.process = process;
  }

  /** Starts a server with 64 MiB of memory and one worker thread; {@code extraArgs} are appended. */
  static MemcachedServer start(String... extraArgs) {
    List<String> extra = List.of(extraArgs);
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        Process process = launch(port, extra);
        if (awaitReady(process, port)) {
          return new MemcachedServer(port, extra, process);
        }
        process.destroyForcibly(); // lost the port to someone else: try another
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not start memcached", last);
  }

  private static Process launch(int port, List<String> extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        binary(), "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-m", "64", "-t", "1",
        "-u", "nobody")); // -u is needed (and only used) when the tests run as root
    command.addAll(extra);
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(":")) {
      Path candidate = Path.of(dir, "memcached");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "memcached is not installed (on Debian/Ubuntu: apt-get install -y memcached)");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean awaitReady(Process process, int port) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        if (command(port, "version").startsWith("VERSION ")) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.onSpinWait();
    }
    return false;
  }

  /** {@code 127.0.0.1:port}, for {@link MemcachedStoreBuilder#servers}. */
  String address() {
    return "127.0.0.1:" + port;
  }

  boolean isRunning() {
    return process.isAlive();
  }

  /** Kills the process (SIGKILL), as a crash would. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a fresh (empty) process on the same port after {@link #kill}. */
  void restart() {
    try {
      process = launch(port, extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!awaitReady(process, port)) {
      throw new IllegalStateException("memcached did not restart on port " + port);
    }
  }

  /** Freezes the process (SIGSTOP): connections stay open but nothing is answered. */
  void pause() {
    signal("STOP");
  }

  /** Undoes {@link #pause}. */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid()).start();
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

  /** The server's {@code stats}, as numbers where they are numbers. */
  Map<String, Long> stats() {
    Map<String, Long> stats = new HashMap<>();
    try {
      for (String line : command(port, "stats").split("\r\n")) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("STAT") && parts[2].matches("-?\\d+")) {
          stats.put(parts[1], Long.parseLong(parts[2]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stats;
  }

  long stat(String name) {
    Long value = stats().get(name);
    if (value == null) {
      throw new IllegalArgumentException("no such statistic: " + name);
    }
    return value;
  }

  /** The raw bytes of {@code key} read with the text protocol, or {@code null}. */
  byte[] rawGet(String key) {
    try (Socket socket = connect(port)) {
      socket.getOutputStream().write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String header = readLine(in);
      if (header.equals("END")) {
        return null;
      }
      String[] parts = header.split(" "); // VALUE <key> <flags> <bytes>
      byte[] value = in.readNBytes(Integer.parseInt(parts[3]));
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
    socket.setSoTimeout(2000);
    return socket;
  }

  /** Sends one text command and reads the reply up to its terminating line. */
  private static String command(int port, String command) throws IOException {
    try (Socket socket = connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder reply = new StringBuilder();
      while (true) {
        String line = readLine(in);
        reply.append(line).append("\r\n");
        if (line.equals("END") || line.startsWith("VERSION ") || line.contains("ERROR")) {
          return reply.toString();
        }
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
      }
      line.write(b);
    }
    throw new IOException("connection closed");
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill(); // SIGKILL also ends a paused process
    }
  }
}
