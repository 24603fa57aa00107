package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.FallbackStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.ScanPage;
import dev.cachet.testing.FlakyStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A pattern delete the store cannot complete is not lost: the namespace is invalidated instead,
 * through the same replay as other invalidations issued while the store is unreachable.
 */
class PatternDeleteOutageTest {
  private final CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));

  @Test
  void aPatternDeleteWhileTheStoreIsDownAppliesOnceItIsBack() {
    FlakyStore store = new FlakyStore(MemoryStore.create());
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      cachet.get("user:1", Codecs.utf8(), policy, () -> "old");
      store.down(true);
      assertThat(cachet.deleteByPattern("user:*")).isZero(); // returns normally
      store.down(false);
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
    }
  }

  @Test
  void aPatternDeleteWhileTheStoreIsDownReportsTheNamespaceInvalidationItKeeps() {
    FlakyStore store = new FlakyStore(MemoryStore.create());
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      cachet.get("user:1", Codecs.utf8(), policy, () -> "old");
      assertThat(cachet.pendingInvalidations()).isZero();
      store.down(true);
      assertThat(cachet.deleteByPatternReporting("user:*")).isEqualTo(new PatternDeletion(0, true));
      assertThat(cachet.pendingInvalidations()).as("the namespace bump, kept for the store").isEqualTo(1);
      cachet.delete("user:2");
      assertThat(cachet.pendingInvalidations()).isEqualTo(2);
      store.down(false);
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
      assertThat(cachet.pendingInvalidations()).as("replayed before the read").isZero();
    }
  }

  @Test
  void aCompletePatternDeleteReportsWhatItDeletedAndNoNamespaceInvalidation() {
    try (Cachet cachet = Cachet.builder().store(MemoryStore.create()).build()) {
      cachet.get("user:1", Codecs.utf8(), policy, () -> "u");
      cachet.get("user:2", Codecs.utf8(), policy, () -> "u");
      cachet.get("order:1", Codecs.utf8(), policy, () -> "o");
      assertThat(cachet.deleteByPatternReporting("user:*")).isEqualTo(new PatternDeletion(2, false));
      assertThat(cachet.getIfPresent("order:1", Codecs.utf8())).isEqualTo("o");
      assertThat(Cachet.noop().deleteByPatternReporting("user:*")).isEqualTo(new PatternDeletion(0, false));
      assertThat(Cachet.noop().pendingInvalidations()).isZero();
    }
  }

  @Test
  void aScanPageFailingPartWayInvalidatesEverythingItCouldHaveMissed() {
    AtomicInteger pages = new AtomicInteger();
    // One key per page; the second page fails.
    ForwardingStore store = new ForwardingStore(MemoryStore.create()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        if (pages.incrementAndGet() == 2) {
          throw new IllegalStateException("connection reset (test)");
        }
        return super.scan(pattern, cursor, 1);
      }
    };
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      for (int i = 0; i < 3; i++) {
        cachet.get("user:" + i, Codecs.utf8(), policy, () -> "old");
      }
      assertThat(cachet.deleteByPattern("user:*")).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.getIfPresent("user:" + i, Codecs.utf8())).as("user:" + i).isNull();
      }
    }
  }

  @Test
  void aScanTheStoreCannotCompleteInvalidatesTheNamespaceAndIsNoStoreError() {
    // As a Redis Cluster scan spanning a reshard: one key moved to a part already scanned, so no
    // page lists it, and the store says so on what would have been the last page.
    ForwardingStore store = new ForwardingStore(MemoryStore.create()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        ScanPage page = super.scan(pattern, cursor, 1);
        if (page.nextCursor() == null) {
          throw new IncompleteScanException("a slot moved during the scan (test)");
        }
        return new ScanPage(page.keys().stream().filter(k -> !k.endsWith("user:7")).toList(),
            page.nextCursor());
      }
    };
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      for (int i = 0; i < 10; i++) {
        cachet.get("user:" + i, Codecs.utf8(), policy, () -> "old");
      }
      cachet.get("order:1", Codecs.utf8(), policy, () -> "order");
      assertThat(cachet.deleteByPatternReporting("user:*").namespaceInvalidated()).isTrue();
      assertThat(cachet.pendingInvalidations()).as("the store took the namespace bump").isZero();
      assertThat(cachet.getIfPresent("user:7", Codecs.utf8())).as("the key no page listed").isNull();
      assertThat(cachet.getIfPresent("order:1", Codecs.utf8()))
          .as("the rest of the namespace, invalidated with it").isNull();
      assertThat(cachet.stats().storeErrors()).isZero();
    }
  }

  @Test
  void aPatternDeleteWhileThePrimaryIsDownReachesTheFallbacksEntries() {
    FlakyStore primary = new FlakyStore(MemoryStore.create());
    FallbackStore store = FallbackStore.of(primary, MemoryStore.create(), Duration.ofSeconds(30));
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      primary.down(true);
      cachet.get("user:1", Codecs.utf8(), policy, () -> "old"); // stored in the fallback
      cachet.deleteByPattern("user:*");
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
      primary.down(false);
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "newer")).isNotEqualTo("old");
    }
  }

  @Test
  void aPatternDeleteAfterAnOutageReachesWhatTheFallbackKeptFromIt() {
    FlakyStore primary = new FlakyStore(MemoryStore.create());
    FallbackStore store = FallbackStore.of(primary, MemoryStore.create(), Duration.ofSeconds(30));
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      primary.down(true);
      cachet.get("user:1", Codecs.utf8(), policy, () -> "old"); // stored in the fallback only
      primary.down(false);
      cachet.get("user:2", Codecs.utf8(), policy, () -> "two"); // stored in the primary
      assertThat(cachet.deleteByPattern("user:*")).isEqualTo(2); // each found once
      // The primary fails again within the fallback entry's lifetime: nothing deleted comes back.
      primary.down(true);
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
    }
  }

  @Test
  void aCompletePatternDeleteLeavesOtherKeysAlone() {
    try (Cachet cachet = Cachet.builder().store(MemoryStore.create()).build()) {
      cachet.get("user:1", Codecs.utf8(), policy, () -> "u");
      cachet.get("order:1", Codecs.utf8(), policy, () -> "o");
      assertThat(cachet.deleteByPattern("user:*")).isEqualTo(1);
      assertThat(cachet.getIfPresent("order:1", Codecs.utf8())).isEqualTo("o");
    }
  }
}
