package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CacheResult.Status;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared stores answer a hit with one combined read of the entry and its likely versions. */
class CombinedReadTest {
  private final MutableClock clock = new MutableClock();
  private final CountingSharedStore store =
      new CountingSharedStore(MemoryStore.builder().clock(clock).build());
  private final Cachet cachet = Cachet.builder().store(store).clock(clock)
      .refreshExecutor(new ManualExecutor()).namespace("app").build();

  @AfterEach
  void close() {
    cachet.close();
  }

  private static CachePolicy tagged(String... tags) {
    return CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags(tags).build();
  }

  private String fetch(CachePolicy policy, String loaded) {
    return cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of(loaded)).value();
  }

  @Test
  void aTaggedHitOnASharedStoreIsOneCombinedRead() {
    CachePolicy policy = tagged("users", "list", "team:7");
    fetch(policy, "v1");
    store.reset();
    CacheResult<String> hit = cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of("v2"));
    assertThat(hit.status()).isEqualTo(Status.HIT);
    assertThat(hit.value()).isEqualTo("v1");
    assertThat(store.combined.get()).isEqualTo(1);
    assertThat(store.gets.get()).isZero();
    assertThat(store.versionReads.get()).isZero();
  }

  @Test
  void theSameTagsInAnotherOrderStillNeedNoSecondRead() {
    // The policy's set iterates in its own order; the entry records the order it was written in.
    fetch(CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags(Set.of("a", "b", "c", "d")).build(), "v1");
    store.reset();
    assertThat(fetch(CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("d", "c", "b", "a").build(), "v2"))
        .isEqualTo("v1");
    assertThat(store.versionReads.get()).isZero();
  }

  @Test
  void anInvalidatedTagIsSeenThroughTheCombinedRead() {
    CachePolicy policy = tagged("users", "list");
    fetch(policy, "v1");
    cachet.invalidateTags("list");
    assertThat(fetch(policy, "v2")).isEqualTo("v2");
    cachet.softInvalidateTags(List.of("users"));
    CacheResult<String> afterSoft = cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of("v3"));
    assertThat(afterSoft.value()).isEqualTo("v3");
    cachet.clear();
    assertThat(fetch(policy, "v4")).isEqualTo("v4");
  }

  @Test
  void anEntryWithOtherTagsThanThePolicyIsJudgedByItsOwnTags() {
    cachet.put("k", "by-put", Codecs.utf8(), tagged("other"));
    store.reset();
    assertThat(fetch(tagged("users"), "loaded")).isEqualTo("by-put");
    assertThat(store.versionReads.get()).isEqualTo(1); // the prefetched ones did not apply
    cachet.invalidateTags("other");
    assertThat(fetch(tagged("users"), "loaded")).isEqualTo("loaded");
  }

  @Test
  void versionsTheStoreDidNotReadAreReadSeparately() {
    store.omitVersions = true;
    CachePolicy policy = tagged("users");
    fetch(policy, "v1");
    cachet.invalidateTags("users");
    assertThat(fetch(policy, "v2")).isEqualTo("v2");
    assertThat(fetch(policy, "v3")).isEqualTo("v2");
  }

  /** A memory store that calls itself shared and counts its reads. */
  static final class CountingSharedStore extends ForwardingStore {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger versionReads = new AtomicInteger();
    final AtomicInteger combined = new AtomicInteger();
    volatile boolean omitVersions;

    CountingSharedStore(MemoryStore delegate) {
      super(delegate);
    }

    void reset() {
      gets.set(0);
      versionReads.set(0);
      combined.set(0);
    }

    @Override
    public byte[] get(String key) {
      gets.incrementAndGet();
      return delegate.get(key);
    }

    @Override
    public long[] getVersions(List<String> keys) {
      versionReads.incrementAndGet();
      return delegate.getVersions(keys);
    }

    @Override
    public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
      combined.incrementAndGet();
      byte[] entry = delegate.get(key);
      return new EntryAndVersions(entry, omitVersions ? null : delegate.getVersions(versionKeys));
    }

    @Override
    public Set<StoreCapability> capabilities() {
      EnumSet<StoreCapability> all = EnumSet.of(StoreCapability.SHARED);
      all.addAll(delegate.capabilities());
      return all;
    }
  }
}
