/**
 * The byte-level store SPI ({@link dev.cachet.store.CacheStore}) and the stores that ship with the
 * core: {@link dev.cachet.store.MemoryStore} and {@link dev.cachet.store.FallbackStore}.
 */
@NullMarked
package dev.cachet.store;

import org.jspecify.annotations.NullMarked;
