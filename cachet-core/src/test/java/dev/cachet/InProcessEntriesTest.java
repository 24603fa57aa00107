package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.internal.Envelope;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Entries of a store whose bytes stay in the process ({@link StoreCapability#IN_PROCESS}) are
 * written without a checksum of the value; every other store's carry one, and refuse unchecked
 * bytes.
 */
class InProcessEntriesTest {
  static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("t").build();
  static final String STORE_KEY = new KeyMapper("ns").entryKey("k");

  /** A memory store that does not claim its bytes stay in the process. */
  static final class Remote extends ForwardingStore {
    Remote(CacheStore delegate) {
      super(delegate);
    }

    @Override
    public Set<StoreCapability> capabilities() {
      Set<StoreCapability> all = EnumSet.noneOf(StoreCapability.class);
      all.addAll(super.capabilities());
      all.remove(StoreCapability.IN_PROCESS);
      return all;
    }
  }

  @Test
  void theMemoryStoreKeepsEntriesInTheProcess() {
    assertThat(MemoryStore.builder().build().capabilities()).contains(StoreCapability.IN_PROCESS);
  }

  @Test
  void inProcessEntriesAreUncheckedAndServed() {
    MemoryStore store = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(store).namespace("ns").build()) {
      cachet.put("k", "v", Codecs.utf8(), POLICY);
      byte[] entry = store.get(STORE_KEY);
      assertThat(Envelope.decode(entry, STORE_KEY, false)).as("checked decode").isNull();
      assertThat(Envelope.decode(entry, STORE_KEY, true)).isNotNull();
      assertThat(cachet.get("k", Codecs.utf8(), POLICY, () -> "loaded")).isEqualTo("v");
      assertThat(cachet.stats().corruptEntries()).isZero();
    }
  }

  @Test
  void otherStoresGetCheckedEntriesAndRefuseUncheckedOnes() {
    MemoryStore memory = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(new Remote(memory)).namespace("ns").build()) {
      cachet.put("k", "v", Codecs.utf8(), POLICY);
      byte[] entry = memory.get(STORE_KEY);
      assertThat(Envelope.decode(entry, STORE_KEY, false)).as("checked decode").isNotNull();
      assertThat(cachet.get("k", Codecs.utf8(), POLICY, () -> "loaded")).isEqualTo("v");

      // An unchecked entry (as an in-process store writes) read from a store that is not one.
      Envelope decoded = Envelope.decode(entry, STORE_KEY, false);
      memory.put(STORE_KEY, decoded.encode(STORE_KEY, false), Duration.ofMinutes(1));
      assertThat(cachet.get("k", Codecs.utf8(), POLICY, () -> "loaded")).isEqualTo("loaded");
      assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    }
  }
}
