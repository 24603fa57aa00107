package dev.cachet.spring.admin;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitBreakerStore;
import org.jspecify.annotations.Nullable;

/** Finds a store of some type among known wrappers. */
final class Stores {
  private Stores() {}

  /** The store a wrapper stands for: a breaker's delegate, a fallback's primary; else null. */
  static @Nullable CacheStore unwrap(CacheStore store) {
    if (store instanceof CircuitBreakerStore cb) {
      return cb.delegate();
    }
    return store instanceof dev.cachet.store.FallbackStore f ? f.primary() : null;
  }

  /** The store that decides health: a fallback's primary, since the fallback always answers. */
  static CacheStore probed(CacheStore store) {
    return store instanceof dev.cachet.store.FallbackStore f ? f.primary() : store;
  }

  /** {@code store} or the store it wraps (through circuit breakers) that is a {@code type}. */
  static <T> @Nullable T find(@Nullable CacheStore store, Class<T> type) {
    CacheStore s = store;
    // Bounded: a wrapper chain is short, and a cycle cannot be built through the builders.
    for (int depth = 0; s != null && depth < 8; depth++) {
      if (type.isInstance(s)) {
        return type.cast(s);
      }
      s = unwrap(s);
    }
    return null;
  }
}
