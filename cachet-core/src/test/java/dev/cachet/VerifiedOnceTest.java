package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.internal.KeyMapper;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An entry from a store whose bytes leave the process is checked against its checksum once per
 * array: a store that returns the same array again (a near cache) is not checked again, since a
 * store never modifies an array it returned. These tests break that rule on purpose, to see which
 * reads check.
 */
class VerifiedOnceTest {
  static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(1)).build();
  static final String STORE_KEY = new KeyMapper("ns").entryKey("k");

  private static byte[] value(int n) {
    byte[] v = new byte[n];
    Arrays.fill(v, (byte) 'v');
    return v;
  }

  @Test
  void aLargeEntryReadAgainFromTheSameArrayIsNotCheckedAgainButACopyIs() {
    MemoryStore memory = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(new InProcessEntriesTest.Remote(memory)).namespace("ns").build()) {
      cachet.put("k", value(20_000), Codecs.bytes(), POLICY);
      assertThat(cachet.getIfPresent("k", Codecs.bytes())).hasSize(20_000);
      byte[] held = memory.get(STORE_KEY);
      held[held.length - 100] ^= 1; // inside the value: what a store must never do

      assertThat(cachet.getIfPresent("k", Codecs.bytes())).as("the same array: checked already").isNotNull();
      memory.put(STORE_KEY, held.clone(), Duration.ofMinutes(1));
      assertThat(cachet.getIfPresent("k", Codecs.bytes())).as("another array: checked").isNull();
      assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    }
  }

  @Test
  void smallEntriesAreCheckedOnEveryRead() {
    MemoryStore memory = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(new InProcessEntriesTest.Remote(memory)).namespace("ns").build()) {
      cachet.put("k", value(100), Codecs.bytes(), POLICY);
      assertThat(cachet.getIfPresent("k", Codecs.bytes())).hasSize(100);
      byte[] held = memory.get(STORE_KEY);
      held[held.length - 10] ^= 1;
      assertThat(cachet.getIfPresent("k", Codecs.bytes())).isNull();
      assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    }
  }

  @Test
  void anArrayVerifiedUnderOneKeyIsCheckedUnderAnother() {
    MemoryStore memory = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(new InProcessEntriesTest.Remote(memory)).namespace("ns").build()) {
      cachet.put("k", value(20_000), Codecs.bytes(), POLICY);
      assertThat(cachet.getIfPresent("k", Codecs.bytes())).isNotNull();
      memory.put(new KeyMapper("ns").entryKey("other"), memory.get(STORE_KEY), Duration.ofMinutes(1));
      assertThat(cachet.getIfPresent("other", Codecs.bytes())).as("bound to its own key").isNull();
      assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    }
  }

  /** Reads every entry from 8 threads at once, 40 times over; counts reads that disagree with {@code damaged}. */
  private static int readConcurrently(Cachet cachet, int n, java.util.function.IntPredicate damaged)
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(seed);
          int wrong = 0;
          for (int r = 0; r < 40 * n; r++) {
            int i = random.nextInt(n);
            byte[] read = cachet.getIfPresent("k" + i, Codecs.bytes());
            boolean right = damaged.test(i) ? read == null : read != null && read.length == 5_000 + i;
            wrong += right ? 0 : 1;
          }
          return wrong;
        }));
      }
      int wrong = 0;
      for (java.util.concurrent.Future<Integer> f : done) {
        wrong += f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      return wrong;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentReadersNeverAcceptADamagedCopyOfAVerifiedEntry() throws Exception {
    MemoryStore memory = MemoryStore.builder().build();
    KeyMapper keys = new KeyMapper("ns");
    int n = 600; // more entries than the memo has slots: they share and replace slots
    try (Cachet cachet = Cachet.builder().store(new InProcessEntriesTest.Remote(memory)).namespace("ns").build()) {
      for (int i = 0; i < n; i++) {
        cachet.put("k" + i, value(5_000 + i), Codecs.bytes(), POLICY);
      }
      assertThat(readConcurrently(cachet, n, i -> false)).isZero();
      for (int i = 0; i < n; i += 3) { // damaged copies, as a bad store would return them
        byte[] copy = memory.get(keys.entryKey("k" + i)).clone();
        copy[100] ^= 1;
        memory.put(keys.entryKey("k" + i), copy, Duration.ofMinutes(1));
      }
      assertThat(readConcurrently(cachet, n, i -> i % 3 == 0)).isZero();
    }
  }
}
