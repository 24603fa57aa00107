package dev.cachet.internal;

import dev.cachet.CacheStats;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Thread-safe counters behind {@link CacheStats}; cheap to increment under contention. */
public final class StatsCounter {
  private final LongAdder hits = new LongAdder();
  private final LongAdder staleHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();
  private final LongAdder corruptEntries = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private static final long EVICTION_REFRESH_MILLIS = 1_000;

  private final LongSupplier evictions;
  private final java.time.Clock clock;
  // A remote store answers eviction counts over the network: asked at most once a second.
  private volatile long evictionsSeen;
  private volatile long evictionsReadAt = Long.MIN_VALUE;

  public StatsCounter(LongSupplier evictions, java.time.Clock clock) {
    this.evictions = evictions;
    this.clock = clock;
  }

  public void hit() {
    hits.increment();
  }

  public void staleHit() {
    staleHits.increment();
  }

  public void miss() {
    misses.increment();
  }

  public void load() {
    loads.increment();
  }

  public void loadFailure() {
    loadFailures.increment();
  }

  public void storeError() {
    storeErrors.increment();
  }

  public void corruptEntry() {
    corruptEntries.increment();
  }

  public void invalidation() {
    invalidations.increment();
  }

  public CacheStats snapshot() {
    long now = clock.millis();
    if (now - evictionsReadAt >= EVICTION_REFRESH_MILLIS || now < evictionsReadAt) {
      try {
        evictionsSeen = evictions.getAsLong();
      } catch (RuntimeException e) {
        // keep the last figure
      }
      evictionsReadAt = now;
    }
    long evicted = evictionsSeen;
    return new CacheStats(
        hits.sum(), staleHits.sum(), misses.sum(), loads.sum(), loadFailures.sum(), evicted,
        storeErrors.sum(), corruptEntries.sum(), invalidations.sum());
  }
}
