package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A version the store loses (evicted for memory, expired) reads as a change, never as a return to
 * an older state: losing a tag's soft version must not undo its soft purge.
 */
class LostVersionsTest {
  /** A store that can lose version keys, as Redis under {@code allkeys-lru} or Memcached does. */
  private static final class LosingStore extends ForwardingStore {
    final Set<String> lost = ConcurrentHashMap.newKeySet();
    final List<String> touched = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Duration> ttls = new java.util.concurrent.CopyOnWriteArrayList<>();

    LosingStore(MemoryStore delegate) {
      super(delegate);
    }

    @Override
    public long[] getVersions(List<String> keys) {
      long[] versions = super.getVersions(keys);
      for (int i = 0; i < versions.length; i++) {
        if (lost.contains(keys.get(i))) {
          versions[i] = 0;
        }
      }
      return versions;
    }

    @Override
    public long setVersionIfAbsent(String key, long version, Duration ttl) {
      if (lost.remove(key)) {
        super.setVersion(key, version, ttl);
        return version;
      }
      return super.setVersionIfAbsent(key, version, ttl);
    }

    @Override
    public void setVersion(String key, long version, Duration ttl) {
      lost.remove(key);
      ttls.add(ttl);
      super.setVersion(key, version, ttl);
    }

    @Override
    public void touchVersions(List<String> keys, Duration ttl) {
      touched.addAll(keys);
      super.touchVersions(keys, ttl);
    }
  }

  private final MutableClock clock = new MutableClock();
  private final LosingStore store = new LosingStore(MemoryStore.builder().clock(clock).build());
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(10))
      .staleWhileRevalidate(Duration.ofMinutes(1)).tags("t").build();

  @Test
  void aSoftPurgedEntryStaysPurgedWhenItsSoftVersionIsLost() {
    try (Cachet cachet = Cachet.builder().store(store).clock(clock).build()) {
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "old")).isEqualTo("old");
      cachet.softInvalidateTags(List.of("t"));
      clock.advance(Duration.ofMinutes(2)); // past the stale window counted from the purge
      store.lost.add("cachet:s:t");
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
    }
  }

  @Test
  void versionsInUseAreKeptAliveOncePerQuarterOfTheirTtlAndTheNamespacesNeverExpires() {
    Duration versionTtl = Duration.ofDays(8);
    try (Cachet cachet = Cachet.builder().store(store).clock(clock).versionTtl(versionTtl).build()) {
      cachet.get("a", Codecs.utf8(), policy, () -> "a"); // creates the versions: nothing to touch
      assertThat(store.touched).isEmpty();
      clock.advance(Duration.ofDays(1));
      cachet.delete("a");
      cachet.get("a", Codecs.utf8(), policy, () -> "a"); // found them, within a quarter: none
      assertThat(store.touched).isEmpty();
      clock.advance(Duration.ofDays(2));
      cachet.get("b", Codecs.utf8(), policy, () -> "b"); // a quarter of 8 days has passed
      assertThat(store.touched).containsExactlyInAnyOrder("cachet:t:t", "cachet:s:t");
      cachet.get("c", Codecs.utf8(), policy, () -> "c");
      assertThat(store.touched).hasSize(2);
      cachet.clear(); // bumps the namespace version: kept for good
      assertThat(store.ttls).containsExactly(CachePolicy.MAX_DURATION);
    }
  }

  @Test
  void aLostSoftVersionRecreatedLaterIsNotTakenForTheOneTheEntryRecorded() {
    try (Cachet cachet = Cachet.builder().store(store).clock(clock).build()) {
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "old")).isEqualTo("old");
      cachet.softInvalidateTags(List.of("t"));
      clock.advance(Duration.ofMinutes(2));
      store.lost.add("cachet:s:t");
      // another key's load recreates the tag's soft version (a new baseline)
      assertThat(cachet.get("other", Codecs.utf8(), policy, () -> "x")).isEqualTo("x");
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
    }
  }
}
