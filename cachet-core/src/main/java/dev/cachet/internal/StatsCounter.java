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
  private final LongSupplier evictions;

  public StatsCounter(LongSupplier evictions) {
    this.evictions = evictions;
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
    long evicted;
    try {
      evicted = evictions.getAsLong();
    } catch (RuntimeException e) {
      evicted = 0;
    }
    return new CacheStats(
        hits.sum(), staleHits.sum(), misses.sum(), loads.sum(), loadFailures.sum(), evicted,
        storeErrors.sum(), corruptEntries.sum(), invalidations.sum());
  }
}
