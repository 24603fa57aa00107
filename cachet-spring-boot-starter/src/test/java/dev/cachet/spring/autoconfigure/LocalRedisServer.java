package dev.cachet.spring.autoconfigure;

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

/**
 * A real {@code redis-server} on a free loopback port, without persistence, and a raw RESP client
 * to look into it without going through Cachet or Lettuce (as cachet-redis's tests start theirs).
 */
final class LocalRedisServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int tlsPort;
  private final Process process;

  private LocalRedisServer(Path dir, int port, int tlsPort, Process process) {
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
    this.process = process;
  }

  static LocalRedisServer start() throws IOException, InterruptedException {
    return start(0, List.of());
  }

  /**
   * A server that also listens with TLS, on {@link #tlsPort()}, with {@code tlsArgs} (its
   * certificates, e.g. {@code TestCertificates.serverArgs}); the plain port stays, to look into it.
   */
  static LocalRedisServer startWithTls(List<String> tlsArgs) throws IOException, InterruptedException {
    return start(freePort(), tlsArgs);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static LocalRedisServer start(int tlsPort, List<String> tlsArgs) throws IOException, InterruptedException {
    String binary = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("redis-server not found: apt-get install -y redis-server"));
    int port = freePort();
    Path dir = Files.createTempDirectory("cachet-starter-redis-");
    // "-::1" binds IPv6 loopback when the machine has it, so "localhost" reaches the server either way.
    List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1 -::1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"));
    if (tlsPort != 0) {
      command.addAll(List.of("--tls-port", Integer.toString(tlsPort)));
      command.addAll(tlsArgs);
    }
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile())
        .start();
    LocalRedisServer server = new LocalRedisServer(dir, port, tlsPort, process);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try {
        if ("PONG".equals(server.command("PING").get(0))) {
          return server;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // waits for the process, not for time
    }
  }

  int port() {
    return port;
  }

  /** The TLS port of a server started {@link #startWithTls with TLS}. */
  int tlsPort() {
    if (tlsPort == 0) {
      throw new IllegalStateException("this server was started without TLS");
    }
    return tlsPort;
  }

  /** The keys of the server matching {@code pattern}, by {@code KEYS}. */
  List<String> keys(String pattern) throws IOException {
    return command("KEYS", pattern);
  }

  /**
   * Sends one command to the plain port; returns a simple reply as one element, an array reply's
   * elements.
   */
  List<String> command(String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(2000);
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = line(in);
      if (first.startsWith("+")) {
        return List.of(first.substring(1));
      }
      if (!first.startsWith("*")) {
        throw new IOException("unexpected reply: " + first);
      }
      int n = Integer.parseInt(first.substring(1));
      List<String> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int length = Integer.parseInt(line(in).substring(1));
        items.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
        line(in);
      }
      return items;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
