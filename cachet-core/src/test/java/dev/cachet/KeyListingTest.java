package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.testing.FlakyStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyListingTest {
  private final MutableClock clock = new MutableClock();
  private final Cachet cachet =
      Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock).namespace("a").build();

  @Test
  void listsMatchingKeysWithTheirStateAcrossPages() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofSeconds(10)).tags("users")
        .staleWhileRevalidate(Duration.ofSeconds(10)).build();
    for (int i = 0; i < 30; i++) {
      cachet.put("user:" + i, "v", Codecs.utf8(), policy);
    }
    String longKey = "user:" + "x".repeat(300);
    cachet.put(longKey, "v", Codecs.utf8(), policy);
    cachet.put("item:1", "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofSeconds(100)));
    clock.advance(Duration.ofSeconds(15));
    List<KeyInfo> all = new ArrayList<>();
    String cursor = null;
    do {
      KeyPage page = cachet.keys("user:*", cursor, 7);
      all.addAll(page.keys());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(all).hasSize(31).extracting(KeyInfo::key).contains(longKey, "user:0").doesNotContain("item:1");
    assertThat(all).allSatisfy(k -> {
      assertThat(k.state()).isEqualTo(KeyInfo.State.STALE);
      assertThat(k.tags()).containsExactly("users");
      assertThat(k.sizeBytes()).isPositive();
      assertThat(k.timeToLive()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    });
    cachet.invalidateTags("users");
    assertThat(cachet.keys("user:1", null, 10).keys()).singleElement()
        .extracting(KeyInfo::state).isEqualTo(KeyInfo.State.INVALID);
    assertThat(cachet.keys("item:*", null, 10).keys()).singleElement()
        .extracting(KeyInfo::state).isEqualTo(KeyInfo.State.FRESH);
  }

  @Test
  void bytesThatAreNoEntryAreListedAsCorruptAndCanBeDeleted() {
    MemoryStore store = MemoryStore.create();
    try (Cachet c = Cachet.builder().store(store).namespace("a").build()) {
      c.put("user:1", "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
      store.put("a:k:user:corrupt", new byte[] {'x'}, Duration.ofMinutes(1)); // as redis-cli SET would
      store.put("b:k:user:other", new byte[] {'x'}, Duration.ofMinutes(1)); // another namespace's
      List<KeyInfo> listed = c.keys("user:*", null, 10).keys();
      assertThat(listed).extracting(KeyInfo::key).containsExactlyInAnyOrder("user:1", "user:corrupt");
      KeyInfo corrupt = listed.stream().filter(k -> k.key().equals("user:corrupt")).findFirst().orElseThrow();
      assertThat(corrupt.state()).isEqualTo(KeyInfo.State.CORRUPT);
      assertThat(corrupt.storedAt()).isNull();
      assertThat(corrupt.sizeBytes()).isEqualTo(1);
      assertThat(corrupt.tags()).isEmpty();
      assertThat(c.keys("order:*", null, 10).keys()).as("matched like any key").isEmpty();
      assertThat(c.delete("user:corrupt")).isTrue();
      assertThat(c.keys("user:*", null, 10).keys()).extracting(KeyInfo::key).containsExactly("user:1");
    }
  }

  @Test
  void aPageHoldsAtMostItsLimitAndThePagesTogetherHoldEveryKeyOnce() {
    for (int i = 0; i < 450; i++) {
      cachet.put("user:" + i, "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
    }
    assertThat(cachet.keys("*", null, 1).keys()).hasSize(1);
    for (int limit : new int[] {1, 7, 200, 1000}) {
      List<String> all = new ArrayList<>();
      String cursor = null;
      do {
        KeyPage page = cachet.keys("user:*", cursor, limit);
        assertThat(page.keys()).hasSizeLessThanOrEqualTo(limit);
        page.keys().forEach(k -> all.add(k.key()));
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(all).as("limit " + limit).hasSize(450).doesNotHaveDuplicates();
    }
  }

  @Test
  void aPatternMatchingNothingIsListedInBoundedStepsNotOneLongScan() {
    for (int i = 0; i < 12_000; i++) {
      cachet.put("user:" + i, "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
    }
    KeyPage first = cachet.keys("nobody:*", null, 10);
    assertThat(first.keys()).isEmpty();
    assertThat(first.nextCursor()).as("the first page stops after a bounded scan").isNotNull();
    int pages = 1;
    for (String cursor = first.nextCursor(); cursor != null; pages++) {
      KeyPage page = cachet.keys("nobody:*", cursor, 10);
      assertThat(page.keys()).isEmpty();
      cursor = page.nextCursor();
    }
    assertThat(pages).isBetween(3, 4); // 12,000 keys at 5,000 a page
  }

  @Test
  void aScanTheStoreStopsAnsweringEndsTheListingWithAnErrorNotAShortPage() {
    FlakyStore flaky = new FlakyStore(MemoryStore.builder().clock(clock).build());
    Cachet failing = Cachet.builder().store(new ForwardingStore(flaky) {
      private int scans;

      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        flaky.down(++scans == 2); // the second page of the scan fails
        return super.scan(pattern, cursor, count);
      }
    }).clock(clock).namespace("a").build();
    for (int i = 0; i < 450; i++) {
      failing.put("user:" + i, "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
    }
    assertThatThrownBy(() -> failing.keys("user:*", null, 1000)).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("retry with the same cursor");
  }

  @Test
  void aScanTheStoreCannotCompleteStartsTheListingOverAndSkipsNoKey() {
    // As a Redis Cluster scan spanning a reshard: the first pass lists no page with user:7 (it
    // moved to a part already scanned) and the store says so where that pass would end.
    boolean[] moved = {true};
    Cachet resharded = Cachet.builder().store(new ForwardingStore(MemoryStore.builder().clock(clock).build()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        ScanPage page = super.scan(pattern, cursor, count);
        if (!moved[0]) {
          return page;
        }
        if (page.nextCursor() == null) {
          moved[0] = false;
          throw new IncompleteScanException("a slot moved during the scan (test)");
        }
        return new ScanPage(page.keys().stream().filter(k -> !k.endsWith("user:7")).toList(),
            page.nextCursor());
      }
    }).clock(clock).namespace("a").build();
    for (int i = 0; i < 450; i++) {
      resharded.put("user:" + i, "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
    }
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      KeyPage page = resharded.keys("user:*", cursor, 100);
      page.keys().forEach(k -> all.add(k.key()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(all).contains("user:7").containsAll(
        java.util.stream.IntStream.range(0, 450).mapToObj(i -> "user:" + i).toList());
    assertThat(resharded.stats().storeErrors()).isZero();
  }

  @Test
  void aStoreThatAnswersACursorInAnotherOrderHasNoKeySkipped() {
    // As Redis may after a rehash: the same cursor, the same keys, another order.
    java.util.Random random = new java.util.Random(42);
    Cachet shuffled = Cachet.builder().store(new ForwardingStore(MemoryStore.builder().clock(clock).build()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        ScanPage page = super.scan(pattern, cursor, count);
        List<String> keys = new ArrayList<>(page.keys());
        java.util.Collections.shuffle(keys, random);
        return new ScanPage(keys, page.nextCursor());
      }
    }).clock(clock).namespace("a").build();
    for (int i = 0; i < 450; i++) {
      shuffled.put("user:" + i, "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(1)));
    }
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      KeyPage page = shuffled.keys("user:*", cursor, 7);
      page.keys().forEach(k -> all.add(k.key()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(all).hasSize(450).doesNotHaveDuplicates();
  }

  @Test
  void aPageMakesABoundedNumberOfScanCallsEvenWhenTheyAreEmpty() {
    // A small namespace in a large shared store: page after page holds none of its keys.
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    Cachet sparse = Cachet.builder().store(new ForwardingStore(MemoryStore.builder().clock(clock).build()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        int n = calls.incrementAndGet();
        return new ScanPage(List.of(), n < 1_000 ? "c" + n : null);
      }
    }).clock(clock).namespace("a").build();
    KeyPage page = sparse.keys("*", null, 10);
    assertThat(page.keys()).isEmpty();
    assertThat(page.nextCursor()).isNotNull();
    assertThat(calls.get()).isLessThanOrEqualTo(50);
  }

  @Test
  void aCursorTheStoreRejectsIsABadArgumentNotAnOutage() {
    Cachet strict = Cachet.builder().store(new ForwardingStore(MemoryStore.builder().clock(clock).build()) {
      @Override
      public ScanPage scan(String pattern, @Nullable String cursor, int count) {
        if ("garbage".equals(cursor)) {
          throw new IllegalArgumentException("not a Redis cursor");
        }
        return super.scan(pattern, cursor, count);
      }
    }).clock(clock).namespace("a").build();
    String cursor = "k1.~" + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".";
    assertThatThrownBy(() -> strict.keys("*", cursor, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a cursor");
    assertThat(strict.stats().storeErrors()).isZero();
  }

  @Test
  void aCursorNoListingGaveIsABadArgument() {
    assertThatThrownBy(() -> cachet.keys("*", "user:3", 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a cursor");
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> cachet.keys("*", null, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cachet.keys("*", null, 1001)).isInstanceOf(IllegalArgumentException.class);
  }
}
