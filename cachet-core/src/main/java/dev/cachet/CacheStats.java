package dev.cachet;

/**
 * An immutable snapshot of a {@link Cachet}'s counters since it was built.
 *
 * @param hits fresh entries served
 * @param staleHits stale entries served (while revalidating, or instead of a failed load)
 * @param misses lookups that found nothing servable
 * @param loads loader runs that completed
 * @param loadFailures loader runs that threw
 * @param evictions entries the store evicted for size
 * @param storeErrors store calls that failed and were treated as misses
 * @param corruptEntries stored bytes that were unreadable (foreign, corrupt, undecodable)
 * @param invalidations invalidation calls (tags, keys, patterns, clears)
 */
public record CacheStats(
    long hits,
    long staleHits,
    long misses,
    long loads,
    long loadFailures,
    long evictions,
    long storeErrors,
    long corruptEntries,
    long invalidations) {

  /** Number of lookups: hits, stale hits and misses. */
  public long requests() {
    return hits + staleHits + misses;
  }

  /** Share of lookups served from the cache (fresh or stale); {@code 1.0} when there were none. */
  public double hitRate() {
    long requests = requests();
    return requests == 0 ? 1.0 : (double) (hits + staleHits) / requests;
  }

  /** Share of lookups that missed; {@code 0.0} when there were none. */
  public double missRate() {
    long requests = requests();
    return requests == 0 ? 0.0 : (double) misses / requests;
  }
}
