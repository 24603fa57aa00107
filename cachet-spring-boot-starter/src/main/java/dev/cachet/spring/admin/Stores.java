package dev.cachet.spring.admin;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitBreakerStore;
import org.jspecify.annotations.Nullable;

/** Finds a store of some type among known wrappers. */
final class Stores {
  private Stores() {}

  /** {@code store} or the store it wraps (through circuit breakers) that is a {@code type}. */
  static <T> @Nullable T find(@Nullable CacheStore store, Class<T> type) {
    CacheStore s = store;
    // Bounded: a wrapper chain is short, and a cycle cannot be built through the builders.
    for (int depth = 0; s != null && depth < 8; depth++) {
      if (type.isInstance(s)) {
        return type.cast(s);
      }
      s = s instanceof CircuitBreakerStore cb ? cb.delegate() : null;
    }
    return null;
  }
}
