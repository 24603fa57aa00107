package dev.cachet;

import org.jspecify.annotations.Nullable;

/**
 * Computes a value on a miss, on the calling thread; a background refresh (refresh-ahead,
 * stale-while-revalidate) runs it on the cache's refresh executor instead.
 *
 * <p>A {@code null} result is returned to the caller and not cached. Concurrent misses of one key
 * usually run one loader, but not always (a caller that waited {@code maxWait} loads for itself,
 * and a load started after an invalidation does not join one started before it), so a loader
 * may run on several threads at once.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<V> {
  @Nullable V load() throws Exception;
}
