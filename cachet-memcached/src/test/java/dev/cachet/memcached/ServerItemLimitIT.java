package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Item sizes against real servers. A server whose item size limit ({@code -I}) is below the
 * store's {@code maxItemSize} (the default 1 MiB) must cost a value over its limit nothing but
 * that value: it is refused before it is sent, counted, and neither opens the server's circuit
 * nor stalls or drops its connection, so that the server's other keys keep hitting. And values
 * up to the item size are written well within the operation timeout.
 */
class ServerItemLimitIT {
  private static final CachePolicy POLICY =
      CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
  private static final Duration TTL = Duration.ofMinutes(5);
  /** More than the circuit's failure threshold (5) and xmemcached's timeout threshold (5). */
  private static final int WRITES = 12;
  private static final int LIMIT_256K = 256 * 1024;

  private static MemcachedServer smallItems() {
    return MemcachedServer.start("-I", "256k", "-o", "slab_chunk_max=131072");
  }

  @Test
  void valuesOverTheServersLimitAreRefusedBeforeTheyAreSentAndTheCircuitStaysClosed() {
    try (MemcachedServer server = smallItems();
        MemcachedStore store = MemcachedStore.builder().servers(server.address()).build();
        Cachet cachet = Cachet.builder().store(store).namespace("limit").build()) {
      cachet.get("small", Codecs.utf8(), POLICY, () -> "s");
      Map<String, Long> before = server.stats();
      String big = "b".repeat(400_000);
      for (int i = 0; i < WRITES; i++) {
        assertThat(cachet.get("big" + i, Codecs.utf8(), POLICY, () -> big)).isEqualTo(big);
        assertThat(cachet.fetch("small", Codecs.utf8(), POLICY, () -> Loaded.of("x")).status())
            .as("the server's other keys keep hitting after %d refused writes", i + 1)
            .isEqualTo(CacheResult.Status.HIT);
      }
      assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.CLOSED);
      assertThat(store.refusedValues()).isEqualTo(WRITES);
      assertThat(cachet.stats().storeErrors()).isEqualTo(WRITES);
      Map<String, Long> after = server.stats();
      assertThat(after.get("bytes_read") - before.get("bytes_read"))
          .as("bytes the server read: no refused value was sent").isLessThan(big.length());
      assertThat(after.get("total_connections") - before.get("total_connections"))
          .as("connections opened: only the one of this stats call, none by the store")
          .isOne();
      assertThat(cachet.fetch("big0", Codecs.utf8(), POLICY, () -> Loaded.of("again")).status())
          .as("a refused value is simply not stored").isEqualTo(CacheResult.Status.MISS);
    }
  }

  @Test
  void theLimitIsTheServersItemSizeLessKeyAndOverheadToTheByte() {
    try (MemcachedServer server = smallItems();
        MemcachedStore store = MemcachedStore.builder().servers(server.address()).build()) {
      String key = "edge";
      int limit = LIMIT_256K - key.length() - ItemSizeLimits.ITEM_OVERHEAD;
      // The server itself takes exactly that much under a key of the same length, and no more.
      assertThat(server.rawSet("raw1", limit)).isTrue();
      assertThat(server.rawSet("raw2", limit + 1)).isFalse();

      store.put(key, new byte[limit], TTL);
      assertThat(store.get(key)).hasSize(limit);
      long read = server.stat("bytes_read");
      assertThatThrownBy(() -> store.put(key, new byte[limit + 1], TTL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("item size limit")
          .hasMessageContaining(Integer.toString(LIMIT_256K));
      assertThat(store.get(key)).as("never an older value in place of the refused one").isNull();
      assertThat(server.stat("bytes_read") - read).as("refused before it was sent")
          .isLessThan(limit);
      assertThat(store.refusedValues()).isOne();
    }
  }

  @Test
  void aServerRestartedWithASmallerLimitIsAskedAgainAfterTheReconnect() {
    MemcachedServer first = MemcachedServer.start();
    int port = first.port();
    // A breaker that never stays open, so that the test waits for the reconnect only.
    try (MemcachedStore store = MemcachedStore.builder()
        .servers(first.address())
        .circuitBreaker(1_000, Duration.ofMillis(1))
        .build()) {
      store.put("big", new byte[400_000], TTL);
      assertThat(store.get("big")).hasSize(400_000);
      first.close();
      try (MemcachedServer second =
          MemcachedServer.startOn(port, "-I", "256k", "-o", "slab_chunk_max=131072")) {
        Poll.until(Duration.ofSeconds(15), "the store to reconnect", () -> {
          try {
            store.get("any");
            return true;
          } catch (RuntimeException notYet) {
            return false;
          }
        });
        long read = second.stat("bytes_read");
        assertThatThrownBy(() -> store.put("big", new byte[400_000], TTL))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(Integer.toString(LIMIT_256K));
        assertThat(second.stat("bytes_read") - read).isLessThan(400_000);
        store.put("fits", new byte[200_000], TTL);
        assertThat(store.get("fits")).hasSize(200_000);
      }
    } finally {
      first.close();
    }
  }

  @Test
  void aTooLargeReplyFromTheServerIsARefusalNotAFailure() {
    // The store is told to trust its own 1 MiB limit, so the server sees the values and refuses
    // them itself, as a server would whose limit was lowered without the store knowing.
    try (MemcachedServer server = smallItems();
        MemcachedStore store =
            MemcachedStore.builder().servers(server.address()).trustMaxItemSize().build()) {
      store.put("small", new byte[] {1}, TTL);
      Map<String, Long> before = server.stats();
      for (int i = 0; i < WRITES; i++) {
        String key = "big" + i;
        assertThatThrownBy(() -> store.put(key, new byte[1_000_000], TTL))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("refused by the server as too large");
        assertThat(store.get("small")).containsExactly(1);
      }
      assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.CLOSED);
      assertThat(store.refusedValues()).isEqualTo(WRITES);
      Map<String, Long> after = server.stats();
      assertThat(after.get("bytes_read") - before.get("bytes_read"))
          .as("the values were sent").isGreaterThan(WRITES * 1_000_000L);
      assertThat(after.get("total_connections") - before.get("total_connections"))
          .as("connections opened: only the one of this stats call, none by the store")
          .isOne();
    }
  }

  @Test
  void valuesUpToTheItemSizeAreWrittenWithinTheOperationTimeout() {
    // With xmemcached's default 32 KiB send buffer a 1 MB set over loopback took about 600 ms
    // (one segment per delayed acknowledgement), past the default 250 ms timeout.
    try (MemcachedServer server = MemcachedServer.start();
        MemcachedStore store = MemcachedStore.builder().servers(server.address()).build()) {
      store.put("small", new byte[] {1}, TTL);
      for (int i = 0; i < WRITES; i++) {
        String key = "large" + i;
        byte[] value = new byte[
            MemcachedStoreBuilder.DEFAULT_MAX_ITEM_SIZE - ItemSizeLimits.ITEM_OVERHEAD - key.length()];
        value[i] = 7;
        store.put(key, value, TTL);
        assertThat(store.get(key)).isEqualTo(value);
        assertThat(store.get("small")).containsExactly(1);
      }
      assertThat(store.circuitState()).isEqualTo(CircuitBreakerStore.State.CLOSED);
      assertThat(store.refusedValues()).isZero();
    }
  }
}
