package dev.cachet.memcached;

import dev.cachet.testing.Commands;
import dev.cachet.testing.LocalServer;
import dev.cachet.testing.LocalServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@code memcached} on a free loopback port (a {@link LocalServer}), ready once it answers
 * {@code version}: it can be killed (SIGKILL), frozen (SIGSTOP) and restarted on the same port,
 * empty. Also speaks enough of the text protocol to read statistics and raw items without the
 * client under test. Public for the fault tests, in a package of their own.
 */
public final class MemcachedServer implements LocalServer {
  private final LocalServerProcess process;

  private MemcachedServer(LocalServerProcess process) {
    this.process = process;
  }

  /** Starts a server with 64 MiB of memory and one worker thread; {@code extraArgs} are appended. */
  public static MemcachedServer start(String... extraArgs) {
    return new MemcachedServer(
        LocalServerProcess.start("memcached", commandLine(extraArgs), MemcachedServer::answersVersion));
  }

  /** As {@link #start}, on {@code port} (one a stopped server left free). */
  public static MemcachedServer startOn(int port, String... extraArgs) {
    return new MemcachedServer(LocalServerProcess.startOn(
        port, "memcached", commandLine(extraArgs), MemcachedServer::answersVersion));
  }

  private static LocalServerProcess.CommandLine commandLine(String... extraArgs) {
    return (port, dir) -> {
      List<String> command = new ArrayList<>(List.of(
          Commands.executable("memcached", "apt-get install -y memcached"),
          "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-m", "64", "-t", "1",
          "-u", "nobody")); // -u is needed (and only used) when the tests run as root
      command.addAll(List.of(extraArgs));
      return command;
    };
  }

  private static boolean answersVersion(int port) {
    try {
      return command(port, "version").startsWith("VERSION ");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** {@code 127.0.0.1:port}, for {@link MemcachedStoreBuilder#servers}. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public LocalServerProcess process() {
    return process;
  }

  /** The server's {@code stats}, as numbers where they are numbers. */
  public Map<String, Long> stats() {
    Map<String, Long> stats = new HashMap<>();
    try {
      for (String line : command(port(), "stats").split("\r\n")) {
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

  public long stat(String name) {
    Long value = stats().get(name);
    if (value == null) {
      throw new IllegalArgumentException("no such statistic: " + name);
    }
    return value;
  }

  /** The raw bytes of {@code key} read with the text protocol, or {@code null}. */
  public byte[] rawGet(String key) {
    try (Socket socket = connect(port())) {
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

  /**
   * The seconds {@code key} has left (meta get's {@code t} flag: {@code -1} for no expiry), or
   * {@code null} when it is absent.
   */
  public Long rawTtl(String key) {
    try (Socket socket = connect(port())) {
      socket.getOutputStream().write(("mg " + key + " t\r\n").getBytes(StandardCharsets.US_ASCII));
      String reply = readLine(socket.getInputStream()); // "HD t<seconds>" or "EN"
      if (reply.equals("EN")) {
        return null;
      }
      for (String token : reply.split(" ")) {
        if (token.startsWith("t")) {
          return Long.parseLong(token.substring(1));
        }
      }
      throw new IllegalStateException("unexpected reply to mg: " + reply);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets {@code key} to {@code length} bytes with the text protocol (flags 0, as the store writes);
   * true when the server stored it, false when it refused it.
   */
  public boolean rawSet(String key, int length) {
    try (Socket socket = connect(port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("set " + key + " 0 300 " + length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[length]);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readLine(socket.getInputStream());
      if (reply.equals("STORED")) {
        return true;
      }
      if (reply.startsWith("SERVER_ERROR object too large")) {
        return false;
      }
      throw new IllegalStateException("unexpected reply to set: " + reply);
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
}
