package dev.cachet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CacheStore} must have, at the SPI and through a {@link Cachet} built
 * on it. Each store module extends this with a store that talks to a real server. Keys of each
 * test are under a fresh prefix, so tests may share one server.
 */
public abstract class CacheStoreContract {
  private static final Duration TTL = Duration.ofMinutes(5);

  protected CacheStore store;
  protected String p;

  /** A store connected to a running backend; closed after each test. */
  protected abstract CacheStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
    p = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private Cachet cachet() {
    return Cachet.builder().store(newStore()).namespace(p.substring(0, p.length() - 1)).build();
  }

  @Test
  void absentKeyReadsNull() {
    assertThat(store.get(p + "absent")).isNull();
  }

  @Test
  void valuesAreBinarySafe() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    store.put(p + "bin", all, TTL);
    store.put(p + "empty", new byte[0], TTL);
    assertThat(store.get(p + "bin")).isEqualTo(all);
    assertThat(store.get(p + "empty")).isEmpty();
  }

  @Test
  void largeValuesRoundTrip() {
    byte[] big = new byte[900 * 1024];
    new java.util.Random(7).nextBytes(big);
    store.put(p + "big", big, TTL);
    assertThat(store.get(p + "big")).isEqualTo(big);
  }

  @Test
  void putReplacesAndDeleteRemoves() {
    store.put(p + "k", new byte[] {1}, TTL);
    store.put(p + "k", new byte[] {2}, TTL);
    assertThat(store.get(p + "k")).containsExactly(2);
    assertThat(store.delete(p + "k")).isTrue();
    assertThat(store.delete(p + "k")).isFalse();
    assertThat(store.get(p + "k")).isNull();
  }

  @Test
  void ttlIsReportedWithinTheGivenBoundWhereKnown() {
    store.put(p + "ttl", new byte[] {1}, Duration.ofSeconds(100));
    Duration left = store.ttl(p + "ttl");
    if (left != null) {
      assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(100));
    }
    assertThat(store.ttl(p + "none")).isNull();
  }

  @Test
  void versionsStartAbsentAndKeepOrder() {
    assertThat(store.getVersions(List.of(p + "v1", p + "v2"))).containsExactly(0L, 0L);
    store.setVersion(p + "v2", 42L, TTL);
    assertThat(store.getVersions(List.of(p + "v1", p + "v2", p + "v1"))).containsExactly(0L, 42L, 0L);
    store.setVersion(p + "v2", -7L, TTL);
    assertThat(store.getVersions(List.of(p + "v2"))).containsExactly(-7L);
  }

  @Test
  void getWithVersionsReadsTheEntryAndItsVersionsTogether() {
    store.setVersion(p + "v2", 42L, TTL);
    EntryAndVersions absent = store.getWithVersions(p + "e", List.of(p + "v1", p + "v2"));
    assertThat(absent.entry()).isNull();
    if (absent.versions() != null) {
      assertThat(absent.versions()).containsExactly(0L, 42L);
    }
    store.put(p + "e", new byte[] {1, 2, 3}, TTL);
    EntryAndVersions present = store.getWithVersions(p + "e", List.of(p + "v1", p + "v2"));
    assertThat(present.entry()).containsExactly(1, 2, 3);
    assertThat(present.versions()).containsExactly(0L, 42L);
  }

  @Test
  void getAuthoritativeReadsTheEntryAndItsVersionsFromTheStoreItself() {
    List<String> versions = List.of(p + "v1", p + "v2");
    store.setVersion(p + "v2", 42L, TTL);
    assertThat(store.getAuthoritative(p + "e", versions).entry()).isNull();
    store.put(p + "e", new byte[] {1, 2, 3}, TTL);
    store.getWithVersions(p + "e", versions); // a store with a local copy may keep it from now on
    EntryAndVersions read = store.getAuthoritative(p + "e", versions);
    assertThat(read.entry()).containsExactly(1, 2, 3);
    assertThat(read.versions()).containsExactly(0L, 42L);
    assertThat(read.fromLocalCopy()).isFalse();
  }

  @Test
  void setVersionIfAbsentKeepsTheFirst() {
    assertThat(store.setVersionIfAbsent(p + "v", 5L, TTL)).isEqualTo(5L);
    assertThat(store.setVersionIfAbsent(p + "v", 9L, TTL)).isEqualTo(5L);
    assertThat(store.getVersions(List.of(p + "v"))).containsExactly(5L);
  }

  @Test
  void scanFindsEveryMatchingKeyOnceAcrossPages() {
    if (!store.capabilities().contains(StoreCapability.PATTERN_SCAN)) {
      assertThatThrownBy(() -> store.scan(p + "*", null, 10))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("tag");
      return;
    }
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      store.put(p + "scan:" + i, new byte[] {1}, TTL);
      expected.add(p + "scan:" + i);
    }
    store.put(p + "other:1", new byte[] {1}, TTL);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ScanPage page = store.scan(p + "scan:*", cursor, 25);
      seen.addAll(page.keys());
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 1000);
    assertThat(new HashSet<>(seen)).isEqualTo(expected);
  }

  @Test
  void scanTreatsEscapedMetacharactersLiterally() {
    if (!store.capabilities().contains(StoreCapability.PATTERN_SCAN)) {
      return; // covered by scanFindsEveryMatchingKeyOnceAcrossPages
    }
    store.put(p + "a*b", new byte[] {1}, TTL);
    store.put(p + "axb", new byte[] {1}, TTL);
    ScanPage page = store.scan(p + "a\\*b", null, 100);
    List<String> keys = new ArrayList<>(page.keys());
    while (page.nextCursor() != null) {
      page = store.scan(p + "a\\*b", page.nextCursor(), 100);
      keys.addAll(page.keys());
    }
    assertThat(keys).containsExactly(p + "a*b");
  }

  @Test
  void lockIsExclusiveAndReleasedOnlyByItsHolder() {
    if (!store.capabilities().contains(StoreCapability.DISTRIBUTED_LOCK)) {
      assertThatThrownBy(() -> store.tryLock(p + "lock", "a", Duration.ofSeconds(1)))
          .isInstanceOf(UnsupportedCapabilityException.class);
      return;
    }
    Duration lease = Duration.ofSeconds(30);
    assertThat(store.tryLock(p + "lock", "a", lease)).isTrue();
    assertThat(store.tryLock(p + "lock", "b", lease)).isFalse();
    store.unlock(p + "lock", "b");
    assertThat(store.tryLock(p + "lock", "b", lease)).isFalse();
    store.unlock(p + "lock", "a");
    assertThat(store.tryLock(p + "lock", "b", lease)).isTrue();
  }

  // --- Through the engine ---

  @Test
  void cachetReadsThroughAndInvalidatesByTag() {
    try (Cachet cachet = cachet()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users").build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      cachet.invalidateTags("users");
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }
  }

  @Test
  void cachetClearLeavesOtherNamespacesAlone() {
    try (Cachet a = cachet();
        Cachet b = Cachet.builder().store(newStore()).namespace(p.substring(0, p.length() - 1) + "b").build()) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      a.put("k", "a", Codecs.utf8(), policy);
      b.put("k", "b", Codecs.utf8(), policy);
      a.clear();
      assertThat(a.getIfPresent("k", Codecs.utf8())).isNull();
      assertThat(b.getIfPresent("k", Codecs.utf8())).isEqualTo("b");
    }
  }

  @Test
  void cachetHandlesOddAndLongKeys() {
    try (Cachet cachet = cachet()) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      String odd = "ключ with spaces\n*?[x]~" + "z".repeat(600);
      cachet.put(odd, "odd", Codecs.utf8(), policy);
      cachet.put("plain", "plain", Codecs.utf8(), policy);
      assertThat(cachet.getIfPresent(odd, Codecs.utf8())).isEqualTo("odd");
      assertThat(cachet.delete(odd)).isTrue();
      assertThat(cachet.getIfPresent(odd, Codecs.utf8())).isNull();
      assertThat(cachet.getIfPresent("plain", Codecs.utf8())).isEqualTo("plain");
    }
  }

  @Test
  void cachetDeletesByPatternWhereTheStoreCanScan() {
    try (Cachet cachet = cachet()) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      cachet.put("user:1", "1", Codecs.utf8(), policy);
      cachet.put("user:2", "2", Codecs.utf8(), policy);
      cachet.put("item:1", "i", Codecs.utf8(), policy);
      if (store.capabilities().contains(StoreCapability.PATTERN_SCAN)) {
        assertThat(cachet.deleteByPattern("user:*")).isEqualTo(2);
        assertThat(cachet.exists("user:1")).isFalse();
        assertThat(cachet.exists("item:1")).isTrue();
      } else {
        assertThatThrownBy(() -> cachet.deleteByPattern("user:*"))
            .isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessageContaining("tag");
        assertThat(cachet.exists("user:1")).isTrue();
      }
    }
  }
}
