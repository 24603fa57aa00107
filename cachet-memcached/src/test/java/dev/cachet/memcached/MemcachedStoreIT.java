package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import dev.cachet.testing.Poll;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Memcached-specific behaviour of the store, against a real server. */
class MemcachedStoreIT {
  private static final Duration TTL = Duration.ofMinutes(5);
  @RegisterExtension static final SharedMemcached memcached = new SharedMemcached();

  private MemcachedStore store;
  private String p;

  @BeforeEach
  void open() {
    store = MemcachedStore.builder().servers(memcached.server.address()).build();
    p = "m" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void valuesAreStoredAsTheirRawBytes() {
    byte[] value = {0, (byte) 0xFF, '\r', '\n', 'E', 'N', 'D', 0x1F, (byte) 0xAC, (byte) 0xED};
    store.put(p + "raw", value, TTL);
    assertThat(memcached.server.rawGet(p + "raw")).isEqualTo(value); // no serialization header, no compression
    byte[] compressible = new byte[200_000]; // a compressing transcoder would shrink this
    store.put(p + "zeros", compressible, TTL);
    assertThat(memcached.server.rawGet(p + "zeros")).hasSize(200_000);
  }

  @Test
  void keysBeyond250BytesAreMappedAndStayDistinct() {
    String base = p + "x".repeat(280);
    store.put(base + "1", new byte[] {1}, TTL);
    store.put(base + "2", new byte[] {2}, TTL);
    assertThat(store.get(base + "1")).containsExactly(1);
    assertThat(store.get(base + "2")).containsExactly(2);
    try (MemcachedStore other = MemcachedStore.builder().servers(memcached.server.address()).build()) {
      assertThat(other.get(base + "1")).containsExactly(1); // same mapping in every handle
    }
    assertThat(memcached.server.rawGet(MemcachedKeys.map(base + "1"))).containsExactly(1);
    assertThat(store.delete(base + "1")).isTrue();
    assertThat(store.get(base + "1")).isNull();
    assertThat(store.get(base + "2")).containsExactly(2);
  }

  @Test
  void versionsAreEightByteValuesReadInOneMultiGet() {
    store.setVersion(p + "v", 0x0102030405060708L, TTL);
    assertThat(memcached.server.rawGet(p + "v")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    long before = memcached.server.stat("cmd_get");
    assertThat(store.getVersions(List.of(p + "v", p + "none", p + "w", p + "v")))
        .containsExactly(0x0102030405060708L, 0L, 0L, 0x0102030405060708L);
    assertThat(memcached.server.stat("cmd_get") - before).isEqualTo(3); // three distinct keys, one request
  }

  @Test
  void touchingVersionsExtendsThoseThatExistAndCreatesNone() {
    store.setVersion(p + "used", 5L, Duration.ofSeconds(100));
    assertThat(memcached.server.rawTtl(p + "used")).isBetween(1L, 100L);
    store.touchVersions(List.of(p + "used", p + "absent"), Duration.ofDays(10));
    assertThat(memcached.server.rawTtl(p + "used")).isGreaterThan(100L);
    assertThat(store.getVersions(List.of(p + "used"))).containsExactly(5L);
    assertThat(memcached.server.rawTtl(p + "absent")).isNull();
  }

  @Test
  void aDamagedVersionReadsAsAbsentAndIsReplaced() {
    store.put(p + "v", new byte[] {1, 2, 3}, TTL);
    assertThat(store.getVersions(List.of(p + "v"))).containsExactly(0L);
    assertThat(store.setVersionIfAbsent(p + "v", 77L, TTL)).isEqualTo(77L);
    assertThat(store.getVersions(List.of(p + "v"))).containsExactly(77L);
    assertThat(store.setVersionIfAbsent(p + "v", 78L, TTL)).isEqualTo(77L);
  }

  @Test
  void ttlsBeyond30DaysAreSentAsAbsoluteTimes() {
    // Sent as a plain number of seconds, Memcached would read these as instants in 1970 and drop
    // the items at once.
    store.put(p + "31d", new byte[] {1}, Duration.ofDays(31));
    store.setVersion(p + "1y", 9L, Duration.ofDays(365));
    store.put(p + "100y", new byte[] {3}, Duration.ofDays(36_500));
    assertThat(store.get(p + "31d")).containsExactly(1);
    assertThat(store.getVersions(List.of(p + "1y"))).containsExactly(9L);
    assertThat(store.get(p + "100y")).containsExactly(3);
  }

  @Test
  void shortTtlsExpireOnTheServer() {
    store.put(p + "short", new byte[] {1}, Duration.ofMillis(200)); // rounds up to 1 s
    assertThat(store.get(p + "short")).containsExactly(1);
    Poll.until(Duration.ofSeconds(10), "the item to expire", () -> store.get(p + "short") == null);
  }

  @Test
  void valuesBeyondTheItemSizeFailThePutAndDropTheOldValue() {
    // A megabyte through a cold JVM on a busy CI machine may take longer than 250 ms.
    try (MemcachedStore patient = MemcachedStore.builder()
        .servers(memcached.server.address())
        .operationTimeout(Duration.ofSeconds(10))
        .build()) {
      String key = p + "big";
      patient.put(key, new byte[] {1}, TTL);
      byte[] fits = new byte[
          MemcachedStoreBuilder.DEFAULT_MAX_ITEM_SIZE - ItemSizeLimits.ITEM_OVERHEAD - key.length()];
      patient.put(key, fits, TTL);
      assertThat(patient.get(key)).hasSize(fits.length);
      assertThatThrownBy(() -> patient.put(key, new byte[fits.length + 1], TTL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("item size");
      assertThat(patient.get(key)).isNull(); // never an older value in place of the refused one
    }
  }

  @Test
  void theItemSizeIsABuilderSetting() {
    try (MemcachedStore small =
        MemcachedStore.builder().servers(memcached.server.address()).maxItemSize(4096).build()) {
      small.put(p + "ok", new byte[3000], TTL);
      assertThat(small.get(p + "ok")).hasSize(3000);
      assertThatThrownBy(() -> small.put(p + "no", new byte[5000], TTL))
          .isInstanceOf(IllegalArgumentException.class);
      // Refusals are the caller's problem, not the server's: the circuit stays closed.
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> small.put(p + "no", new byte[5000], TTL))
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(small.get(p + "ok")).hasSize(3000);
    }
  }

  @Test
  void locksExpireWithTheirLeaseAndAStaleUnlockReleasesNothing() {
    String lock = p + "lock";
    assertThat(store.tryLock(lock, "a", Duration.ofMillis(500))).isTrue(); // rounds up to 1 s
    assertThat(store.tryLock(lock, "b", Duration.ofSeconds(30))).isFalse();
    Poll.until(Duration.ofSeconds(10), "the lease to end and b to take the lock",
        () -> store.tryLock(lock, "b", Duration.ofSeconds(30)));
    store.unlock(lock, "a"); // a's lease is over: it must not release b's lock
    assertThat(store.tryLock(lock, "c", Duration.ofSeconds(30))).isFalse();
    assertThat(memcached.server.rawGet(lock)).asString().isEqualTo("b");
    store.unlock(lock, "b");
    assertThat(store.tryLock(lock, "c", Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void scanIsUnsupportedWithAHintToUseTags() {
    assertThat(store.capabilities())
        .containsExactlyInAnyOrder(StoreCapability.DISTRIBUTED_LOCK, StoreCapability.SHARED);
    assertThatThrownBy(() -> store.scan(p + "*", null, 10))
        .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
            e -> assertThat(e.capability()).isEqualTo(StoreCapability.PATTERN_SCAN))
        .hasMessageContaining("invalidate the tag");
    store.put(p + "k", new byte[] {1}, TTL);
    assertThat(store.ttl(p + "k")).isNull();
  }

  @Test
  void closingAHandleLeavesTheDataAndIsIdempotent() {
    MemcachedStore other = MemcachedStore.builder().servers(memcached.server.address()).build();
    other.put(p + "kept", ByteBuffer.allocate(4).putInt(42).array(), TTL);
    long flushes = memcached.server.stat("cmd_flush");
    other.close();
    other.close();
    assertThat(store.get(p + "kept")).containsExactly(0, 0, 0, 42);
    assertThat(memcached.server.stat("cmd_flush")).isEqualTo(flushes);
    assertThatThrownBy(() -> other.get(p + "kept")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void reportsServerStates() {
    assertThat(store.serverStates()).containsExactly(Map.entry(memcached.server.address(), State.CLOSED));
    assertThat(store.serverOf(p + "any")).isEqualTo(memcached.server.address());
  }

  @Test
  void countsTheEvictionsOfItsServers() {
    try (MemcachedServer tiny = MemcachedServer.start("-m", "2");
        MemcachedStore small = MemcachedStore.builder()
            .servers(tiny.address())
            .operationTimeout(Duration.ofSeconds(5))
            .build()) {
      assertThat(small.evictionCount()).isZero();
      byte[] value = new byte[50_000];
      for (int i = 0; i < 200; i++) { // 10 MB into 2 MB
        small.put(p + i, value, TTL);
      }
      assertThat(small.evictionCount()).isPositive().isEqualTo(tiny.stat("evictions"));
    }
  }
}
