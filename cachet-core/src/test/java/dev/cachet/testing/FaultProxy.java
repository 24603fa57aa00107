package dev.cachet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on a free loopback port in front of a real server, for fault-injection tests:
 * pass traffic, cut every connection (and refuse new ones), black-hole it (accept and read, never
 * answer, never reset), or delay every chunk. Loopback only; threads are daemons and the proxy
 * closes everything on {@link #close()}. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does to traffic. */
  public enum Mode {
    PASS,
    /** Connections are reset and new ones closed at once. */
    CUT,
    /** Bytes are read and dropped; nothing comes back. */
    BLACK_HOLE
  }

  private final int targetPort;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayMillis;

  /** Starts a proxy to {@code 127.0.0.1:targetPort}. */
  public FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Switches mode; {@link Mode#CUT} also closes every open connection now. */
  public void mode(Mode mode) {
    this.mode = mode;
    if (mode == Mode.CUT) {
      closeAll();
    }
  }

  /** Adds {@code millis} of latency to every chunk in each direction (0 for none). */
  public void delay(long millis) {
    this.delayMillis = millis;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (mode == Mode.CUT) {
          client.setSoLinger(true, 0);
          client.close();
          continue;
        }
        sockets.add(client);
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        sockets.add(upstream);
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException e) {
        // server closed, or the target refused: the client sees its connection close
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (mode == Mode.BLACK_HOLE) {
          continue; // swallow: no answer, no reset
        }
        long delay = delayMillis;
        if (delay > 0) {
          TimeUnit.MILLISECONDS.sleep(delay); // injected latency is the point of this proxy
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // connection closed or cut
    } finally {
      close(from);
      close(to);
    }
  }

  private void closeAll() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0); // reset, as a dead peer's kernel would
      } catch (IOException e) {
        // already closed
      }
      close(s);
    }
  }

  private void close(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeAll();
    threads.shutdownNow();
  }
}
