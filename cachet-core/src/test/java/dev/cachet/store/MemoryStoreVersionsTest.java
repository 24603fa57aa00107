package dev.cachet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memory store's versions are bounded by bytes, by default a quarter of its entries' bound:
 * tags made by ever-new paths (a soak test's tag churn ran a 256 MB heap out with a million of
 * them) cannot grow the heap past it, however small the entries are.
 */
class MemoryStoreVersionsTest {
  private static long kept(MemoryStore store, int written) {
    long kept = 0;
    for (int from = 0; from < written; from += 1_000) {
      List<String> keys = new ArrayList<>();
      for (int i = from; i < Math.min(written, from + 1_000); i++) {
        keys.add("ns:t:/spaces/s" + i + "/items");
      }
      for (long v : store.getVersions(keys)) {
        kept += v != 0 ? 1 : 0;
      }
    }
    return kept;
  }

  @Test
  void versionsStayWithinAQuarterOfTheEntriesBoundByWeight() {
    MemoryStore store = MemoryStore.builder().maximumBytes(4L * 1024 * 1024).build();
    int written = 100_000;
    for (int i = 0; i < written; i++) {
      store.setVersion("ns:t:/spaces/s" + i + "/items", i + 1, Duration.ofDays(30));
    }
    long bound = (4L * 1024 * 1024 / 4) / (MemoryStore.VERSION_OVERHEAD_BYTES + 20);
    assertThat(kept(store, written)).isPositive().isLessThanOrEqualTo(bound + bound / 10);
  }

  @Test
  void anExplicitCountBoundStillApplies() {
    MemoryStore store = MemoryStore.builder().maximumVersions(500).build();
    for (int i = 0; i < 5_000; i++) {
      store.setVersion("ns:t:/spaces/s" + i + "/items", i + 1, Duration.ofDays(30));
    }
    assertThat(kept(store, 5_000)).isPositive().isLessThanOrEqualTo(550);
  }
}
