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
}
