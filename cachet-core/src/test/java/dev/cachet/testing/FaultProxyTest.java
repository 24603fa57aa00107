package dev.cachet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, in front of a real loopback echo server. */
class FaultProxyTest {
  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread pump = new Thread(() -> {
            try (s; InputStream in = s.getInputStream()) {
              in.transferTo(s.getOutputStream());
            } catch (IOException e) {
              // closed
            }
          });
          pump.setDaemon(true);
          pump.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    proxy = new FaultProxy(echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(1_000);
    return s;
  }

  @Test
  void passesTrafficThrough() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write("ping".getBytes());
      assertThat(s.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());
    }
  }

  @Test
  void aBlackHoleNeverAnswers() throws IOException {
    proxy.mode(FaultProxy.Mode.BLACK_HOLE);
    try (Socket s = connect()) {
      s.setSoTimeout(300);
      s.getOutputStream().write("ping".getBytes());
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aCutClosesOpenConnectionsAndRefusesNewOnes() throws IOException {
    try (Socket s = connect()) {
      proxy.mode(FaultProxy.Mode.CUT);
      assertThatThrownBy(() -> {
        s.getOutputStream().write("ping".getBytes());
        if (s.getInputStream().read() < 0) {
          throw new IOException("closed");
        }
      }).isInstanceOf(IOException.class);
    }
    // A new connection is refused: reset as it connects, or closed at its first exchange.
    assertThatThrownBy(() -> {
      try (Socket s = connect()) {
        s.getOutputStream().write("ping".getBytes());
        if (s.getInputStream().read() < 0) {
          throw new IOException("closed");
        }
      }
    }).isInstanceOf(IOException.class);
    proxy.mode(FaultProxy.Mode.PASS);
    try (Socket s = connect()) {
      s.getOutputStream().write("back".getBytes());
      assertThat(s.getInputStream().readNBytes(4)).isEqualTo("back".getBytes());
    }
  }
}
