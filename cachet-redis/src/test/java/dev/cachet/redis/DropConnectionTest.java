package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dropping a stuck connection never waits for another caller's connect: a request thread that
 * saw the last time-out must not block for a connect time-out, nor close the connection being
 * made.
 */
class DropConnectionTest {
  @Test
  void aDropDuringAConnectReturnsAtOnceAndLeavesTheConnectAlone() throws Exception {
    // A peer that accepts the TCP connection and never answers the handshake: a connect to it
    // holds the connector's lock until its connect time-out.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch accepted = new CountDownLatch(1);
      Thread acceptor = new Thread(() -> {
        try (Socket s = silent.accept()) {
          accepted.countDown();
          s.getInputStream().read(new byte[1024]);
          new CountDownLatch(1).await(); // keep the socket open, unanswered
        } catch (Exception e) {
          // closed with the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Settings settings = new Settings(
          RedisURI.create("redis://127.0.0.1:" + silent.getLocalPort()), List.of(),
          Duration.ofMillis(250), Duration.ofSeconds(30), false, 0, Duration.ofSeconds(1), 5,
          Duration.ofSeconds(1), Clock.systemUTC(), Ticker.systemTicker(), null, null);
      StandaloneConnector connector = new StandaloneConnector(settings, c -> {});
      try {
        CompletableFuture<Object> connecting = CompletableFuture.supplyAsync(connector::connection);
        assertThat(accepted.await(10, TimeUnit.SECONDS)).isTrue();

        connector.dropConnection(); // would wait out the 30 s connect time-out if it took the lock

        assertThat(connecting).isNotDone();
      } finally {
        acceptor.interrupt();
        silent.close();
        connector.close();
      }
    }
  }
}
