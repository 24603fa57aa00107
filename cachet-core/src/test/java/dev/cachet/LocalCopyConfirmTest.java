package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CacheResult.Status;
import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a shared store answers from a local copy (as the Redis near cache does) an entry that is
 * not fresh, Cachet confirms it once with {@link CacheStore#getAuthoritative} before it counts a
 * miss; the copy's absence is trusted on plain reads; answers from the store itself, and fresh
 * ones, are never read twice.
 */
class LocalCopyConfirmTest {

  /**
   * A shared store in front of one real memory store, keeping a copy of the entries it read that
   * only its own writes evict: what another instance writes never reaches the copy, as if every
   * push were late.
   */
  static final class CopyingStore extends ForwardingStore {
    final Map<String, Object> copy = new ConcurrentHashMap<>();
    final AtomicInteger authoritativeReads = new AtomicInteger();
    static final Object ABSENT = new Object();

    CopyingStore(CacheStore shared) {
      super(shared);
    }

    @Override
    public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
      Object kept = copy.get(key);
      if (kept == ABSENT) {
        return EntryAndVersions.noneInLocalCopy();
      }
      if (kept instanceof byte[] bytes) {
        return new EntryAndVersions(bytes, delegate.getVersions(versionKeys), true);
      }
      return read(key, versionKeys);
    }

    volatile boolean authoritativeFails;

    @Override
    public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
      authoritativeReads.incrementAndGet();
      if (authoritativeFails) {
        throw new IllegalStateException("the store timed out");
      }
      return read(key, versionKeys);
    }

    private EntryAndVersions read(String key, List<String> versionKeys) {
      byte[] bytes = delegate.get(key);
      copy.put(key, bytes == null ? ABSENT : bytes);
      return bytes == null ? EntryAndVersions.none()
          : new EntryAndVersions(bytes, delegate.getVersions(versionKeys));
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
      delegate.put(key, value, ttl);
      copy.remove(key);
    }

    @Override
    public Set<StoreCapability> capabilities() {
      return Set.of(StoreCapability.SHARED);
    }
  }

  /** The same memory store seen as shared, without a copy: another instance. */
  static final class SharedView extends ForwardingStore {
    SharedView(CacheStore shared) {
      super(shared);
    }

    @Override
    public Set<StoreCapability> capabilities() {
      EnumSet<StoreCapability> caps = EnumSet.copyOf(delegate.capabilities());
      caps.remove(StoreCapability.IN_PROCESS); // entries are checked as a remote store's are
      caps.add(StoreCapability.SHARED);
      return caps;
    }
  }

  static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();

  final MemoryStore memory = MemoryStore.builder().build();
  final CopyingStore withCopy = new CopyingStore(memory);
  final Cachet a = Cachet.builder().store(withCopy).namespace("ns").build();
  final Cachet b = Cachet.builder().store(new SharedView(memory)).namespace("ns").build();
  final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() {
    a.close();
    b.close();
    memory.close();
  }

  CacheResult<String> fetch(Cachet cachet, String value) {
    return cachet.fetch("K", Codecs.utf8(), POLICY, () -> {
      loads.incrementAndGet();
      return Loaded.of(value);
    });
  }

  @Test
  void aStaleEntryFromTheCopyIsReadAgainAndServesAnotherInstancesReload() {
    fetch(a, "E1");
    assertThat(fetch(a, "E1").status()).isEqualTo(Status.HIT); // from the store: now in the copy
    assertThat(fetch(a, "E1").status()).isEqualTo(Status.HIT); // from the copy, fresh
    assertThat(withCopy.authoritativeReads).hasValue(0);
    b.invalidateTags(List.of("t"));
    assertThat(fetch(b, "E2").status()).isEqualTo(Status.MISS);
    loads.set(0);

    CacheResult<String> onA = fetch(a, "E3");

    assertThat(onA.status()).isEqualTo(Status.HIT);
    assertThat(onA.value()).isEqualTo("E2");
    assertThat(loads).hasValue(0);
    assertThat(withCopy.authoritativeReads).hasValue(1);
    assertThat(a.stats().misses()).isEqualTo(1); // the first load only
  }

  /**
   * The copy's word that there is no entry costs no round trip on a plain read: keys whose values
   * are never stored (a handler's error, a method returning null) would otherwise pay one on every
   * read. Only the store lock's re-check confirms it (LateNearPushIT, on Redis).
   */
  @Test
  void aCopyOfTheAbsenceIsTrustedOnAPlainRead() {
    withCopy.copy.put("ns:k:K", CopyingStore.ABSENT); // A read K before anyone wrote it
    fetch(b, "E2");
    loads.set(0);

    CacheResult<String> onA = fetch(a, "E3");

    assertThat(onA.status()).isEqualTo(Status.MISS);
    assertThat(onA.value()).isEqualTo("E3");
    assertThat(withCopy.authoritativeReads).hasValue(0);
  }

  /**
   * A confirmation that fails (a store timeout: no answer) keeps the copy's entry, which within
   * its stale-while-revalidate window is served stale rather than reloaded on the request.
   */
  @Test
  void aFailedConfirmationKeepsTheCopysEntryServableStale() {
    MutableClock clock = new MutableClock();
    MemoryStore timed = MemoryStore.builder().clock(clock).build();
    CopyingStore copying = new CopyingStore(timed);
    CachePolicy swr = CachePolicy.builder().ttl(Duration.ofMinutes(1))
        .staleWhileRevalidate(Duration.ofMinutes(10)).tags("t").build();
    try (Cachet c = Cachet.builder().store(copying).namespace("ns").clock(clock).build()) {
      assertThat(c.fetch("K", Codecs.utf8(), swr, () -> Loaded.of("E1")).status()).isEqualTo(Status.MISS);
      assertThat(c.fetch("K", Codecs.utf8(), swr, () -> Loaded.of("E1")).status()).isEqualTo(Status.HIT);
      clock.advance(Duration.ofMinutes(2));
      copying.authoritativeFails = true;

      CacheResult<String> r = c.fetch("K", Codecs.utf8(), swr, () -> Loaded.of("E2"));

      assertThat(r.status()).isEqualTo(Status.STALE);
      assertThat(r.value()).isEqualTo("E1");
      assertThat(copying.authoritativeReads).hasPositiveValue();
    } finally {
      timed.close();
    }
  }

  @Test
  void aStaleEntryReadFromTheStoreItselfIsNotReadTwice() {
    fetch(a, "E1");
    b.invalidateTags(List.of("t"));
    loads.set(0);

    // Not in the copy (A's own write evicted it): read from the store, stale, a miss at once.
    CacheResult<String> onA = fetch(a, "E3");

    assertThat(onA.status()).isEqualTo(Status.MISS);
    assertThat(onA.value()).isEqualTo("E3");
    assertThat(loads).hasValue(1);
    assertThat(withCopy.authoritativeReads).hasValue(0);
  }

  @Test
  void anEntryStaleInTheStoreItselfIsStillAMissAfterOneConfirmation() {
    fetch(a, "E1");
    fetch(a, "E1"); // now in the copy
    b.invalidateTags(List.of("t"));
    loads.set(0);

    CacheResult<String> onA = fetch(a, "E3");

    assertThat(onA.status()).isEqualTo(Status.MISS);
    assertThat(onA.value()).isEqualTo("E3");
    assertThat(loads).hasValue(1);
    assertThat(withCopy.authoritativeReads).hasValue(1);
  }
}
