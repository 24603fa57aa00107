package dev.cachet.memcached.faults;

import dev.cachet.testing.faults.FaultChecks;
import dev.cachet.testing.faults.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.memcached.MemcachedServer;
import dev.cachet.memcached.MemcachedStore;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.testing.FaultProxy;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A connection whose requests were swallowed is given up. After a black hole that ends, each
 * reply is taken for the oldest request still waiting, which timed out long ago, so every later
 * request would time out too, for ever, were the connection kept: the store closes it once as
 * many time-outs as open the circuit have come ({@code XMemcachedClient#setTimeoutExceptionThreshold},
 * 1,000 by default). Requests of one kind, as here, never break the client's decoder, which under
 * Cachet's mix of request kinds drops the connection on its own. See docs/faults.md.
 */
class MemcachedUnansweredRequestsIT {

  @Test
  void storeAnswersAgainOnceTheBlackHoleEnds() throws Exception {
    try (MemcachedServer memcached = MemcachedServer.start();
        FaultProxy proxy = new FaultProxy(memcached.port());
        MemcachedStore store = MemcachedStore.builder()
            .servers("127.0.0.1:" + proxy.port())
            .operationTimeout(FaultChecks.TIMEOUT)
            .circuitBreaker(5, FaultChecks.OPEN)
            .build()) {
      byte[] value = "v".getBytes(StandardCharsets.UTF_8);
      store.put("k", value, Duration.ofMinutes(5));
      proxy.mode(FaultProxy.Mode.BLACK_HOLE);
      for (int i = 0; i < 3; i++) {
        try {
          store.get("k");
        } catch (RuntimeException expected) {
          // timed out: the request was swallowed
        }
      }
      proxy.mode(FaultProxy.Mode.PASS);
      long healed = System.nanoTime();
      AtomicReference<String> last = new AtomicReference<>("");
      AtomicInteger probesTimedOut = new AtomicInteger();
      long deadline = healed + FaultChecks.RECOVERY_BOUND.toNanos();
      Poll.until(FaultChecks.RECOVERY_BOUND.plusSeconds(1), "a reply or the deadline", () -> {
        try {
          byte[] read = store.get("k");
          last.set(read == null ? "null" : new String(read, StandardCharsets.UTF_8));
          return true;
        } catch (StoreUnavailableException circuitOpen) {
          return System.nanoTime() - deadline > 0;
        } catch (RuntimeException e) {
          probesTimedOut.incrementAndGet(); // a call the circuit let through: it timed out
          last.set(e.toString());
          return System.nanoTime() - deadline > 0;
        }
      });
      System.out.printf(
          "FAULT Memcached store-level: BLACK_HOLE then PASS, %s later: %s (%d probes failed)%n",
          Figures.time(System.nanoTime() - healed), last.get(), probesTimedOut.get());
      assertThat(last.get())
          .as("a get within %s of the black hole's end", FaultChecks.RECOVERY_BOUND)
          .isEqualTo("v");
    }
  }
}
