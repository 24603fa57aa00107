package dev.cachet.redis;

import dev.cachet.testing.Commands;
import dev.cachet.testing.LocalServer;
import dev.cachet.testing.LocalServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} on a loopback port (a {@link LocalServer}), without persistence
 * unless told ({@code --appendonly yes}, or a {@code SAVE}): it can be killed (SIGKILL), paused
 * (SIGSTOP) and restarted on the same port, empty, or with what a {@code SAVE} or the append-only
 * file left in its directory. A TLS
 * server ({@link #startTls}) listens with TLS only, on that port. Public for the starter's and
 * the demo's tests, which take it from this module's test-jar.
 */
public final class RedisServerProcess implements LocalServer {
  private final LocalServerProcess process;
  private final @Nullable TestCertificates tls;

  private RedisServerProcess(LocalServerProcess process, @Nullable TestCertificates tls) {
    this.process = process;
    this.tls = tls;
  }

  /** Starts a server on a free port with {@code extraArgs} (e.g. {@code "--maxmemory", "1mb"}). */
  public static RedisServerProcess start(String... extraArgs) {
    return new RedisServerProcess(LocalServerProcess.start(
        "redis-server", commandLine(null, List.of(extraArgs)), RedisServerProcess::answersPing), null);
  }

  /** As {@link #start}, on {@code port}. */
  public static RedisServerProcess startOn(int port, String... extraArgs) {
    return new RedisServerProcess(LocalServerProcess.startOn(
        port, "redis-server", commandLine(null, List.of(extraArgs)), RedisServerProcess::answersPing), null);
  }

  /**
   * Starts a server on a free port that speaks TLS only ({@code --port 0}), with {@code certs}'s
   * server certificate; {@code authClients} is its {@code tls-auth-clients} ({@code no}, {@code
   * yes}).
   */
  public static RedisServerProcess startTls(TestCertificates certs, String authClients, String... extraArgs) {
    return startTlsOn(LocalServerProcess.freePort(0), certs, authClients, extraArgs);
  }

  /** As {@link #startTls}, on {@code port}. */
  public static RedisServerProcess startTlsOn(
      int port, TestCertificates certs, String authClients, String... extraArgs) {
    List<String> args = new ArrayList<>(certs.serverArgs(authClients));
    args.addAll(List.of(extraArgs));
    // A TLS server is up once it listens: a handshake made before its event loop runs just waits.
    return new RedisServerProcess(LocalServerProcess.startOn(
        port, "redis-server", commandLine(certs, args), RedisServerProcess::accepts), certs);
  }

  private static LocalServerProcess.CommandLine commandLine(@Nullable TestCertificates tls, List<String> extraArgs) {
    return (port, dir) -> {
      List<String> command = new ArrayList<>(List.of(
          binary("redis-server"), "--port", tls == null ? Integer.toString(port) : "0", "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
          "--loglevel", "warning"));
      if (tls != null) {
        command.addAll(List.of("--tls-port", Integer.toString(port)));
      }
      command.addAll(extraArgs); // after the defaults, which they override (e.g. --bind)
      return command;
    };
  }

  /** The path of {@code redis-server} or {@code redis-cli}. */
  static String binary(String name) {
    return Commands.executable(name, "apt-get install -y redis-server redis-tools");
  }

  /** Whether anything listens on loopback {@code port}: the probe of a TLS server. */
  static boolean accepts(int port) {
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

  /** {@code redis://127.0.0.1:port}, or {@code rediss://} for a TLS server. */
  public String uri() {
    return (tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port();
  }

  @Override
  public LocalServerProcess process() {
    return process;
  }

  /** Runs {@code redis-cli} with {@code args} against this server (over TLS for a TLS server); its output. */
  public String cli(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port())));
    if (tls != null) {
      command.addAll(tls.cliArgs());
    }
    command.addAll(List.of(args));
    return Commands.run(command);
  }

  /** The keys that match {@code pattern} ({@code KEYS}, by {@link #cli}). */
  public List<String> keys(String pattern) {
    return cli("KEYS", pattern).lines().filter(line -> !line.isEmpty()).toList();
  }
}
