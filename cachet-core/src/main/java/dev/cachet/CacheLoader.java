package dev.cachet;

import org.jspecify.annotations.Nullable;

/**
 * Computes a value on a miss, on the calling thread.
 *
 * <p>A {@code null} result is returned to the caller and not cached.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<V> {
  @Nullable V load() throws Exception;
}
