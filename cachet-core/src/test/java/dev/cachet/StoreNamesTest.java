package dev.cachet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a capability error names: the store that holds the entries, not the wrappers around it. */
class StoreNamesTest {
  /** Stands for Memcached. */
  static final class CannotScanStore extends ForwardingStore {
    CannotScanStore() {
      super(MemoryStore.create());
    }

    @Override
    public Set<StoreCapability> capabilities() {
      return EnumSet.noneOf(StoreCapability.class);
    }
  }

  @Test
  void behindAFallbackAndACircuitBreakerTheErrorNamesThePrimary() {
    FallbackStore fallback = FallbackStore.of(
        CircuitBreakerStore.builder(new CannotScanStore()).build(), MemoryStore.create(), Duration.ofSeconds(5));
    try (Cachet cachet = Cachet.builder().store(fallback).build()) {
      assertThatThrownBy(() -> cachet.keys("*", null, 10))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageStartingWith("CannotScanStore cannot list keys");
      assertThatThrownBy(() -> cachet.deleteByPattern("a*"))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageStartingWith("CannotScanStore cannot delete by pattern");
    }
  }
}
