package dev.cachet.spring.admin;

import dev.cachet.CacheStats;
import dev.cachet.Cachet;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitAware;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Exposes a {@link Cachet}'s counters to Micrometer, every meter tagged {@code namespace}:
 *
 * <ul>
 *   <li>function counters {@code cachet.gets} (tag {@code result}: {@code hit}, {@code miss},
 *       {@code stale}), {@code cachet.loads}, {@code cachet.load.failures},
 *       {@code cachet.store.errors}, {@code cachet.evictions}, {@code cachet.invalidations},
 *       {@code cachet.corrupt};
 *   <li>gauges {@code cachet.entries} and {@code cachet.bytes} where the store is a
 *       {@link MemoryStore}, and {@code cachet.circuit.state} (0 closed, 1 half-open, 2 open) where
 *       the store has a circuit breaker ({@link CircuitAware}: a breaker wrapper, or Redis or
 *       Memcached, which keep theirs inside);
 *   <li>where the store is a {@link FallbackStore}: the function counter
 *       {@code cachet.fallback.calls} (reads and writes the fallback answered while the primary
 *       failed) and the gauge {@code cachet.fallback.pending} (invalidations waiting for the
 *       primary).
 * </ul>
 *
 * <p>Meters read the cache when the registry is scraped. As usual in Micrometer, the counters hold
 * the cache weakly (keep it referenced, as a bean is); the gauges hold the store strongly.
 * Thread-safe.
 */
public final class CachetMeterBinder implements MeterBinder {
  private static final String GETS = "Cache lookups by result: hit (fresh), stale (served stale), miss";

  private final Cachet cachet;
  private final Tags tags;
  private final @Nullable CacheStore store;

  /**
   * @param cachet the cache whose counters are exposed
   * @param namespace the value of the {@code namespace} tag
   * @param store the cache's store, for the gauges; {@code null} when unknown (no gauges)
   */
  public CachetMeterBinder(Cachet cachet, String namespace, @Nullable CacheStore store) {
    this.cachet = Objects.requireNonNull(cachet, "cachet");
    this.tags = Tags.of("namespace", Objects.requireNonNull(namespace, "namespace"));
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "cachet.gets", GETS, Tags.of("result", "hit"), CacheStats::hits);
    counter(registry, "cachet.gets", GETS, Tags.of("result", "miss"), CacheStats::misses);
    counter(registry, "cachet.gets", GETS, Tags.of("result", "stale"), CacheStats::staleHits);
    counter(registry, "cachet.loads", "Loader runs that completed", Tags.empty(), CacheStats::loads);
    counter(registry, "cachet.load.failures", "Loader runs that threw", Tags.empty(), CacheStats::loadFailures);
    counter(registry, "cachet.store.errors", "Store calls that failed and were read as misses", Tags.empty(),
        CacheStats::storeErrors);
    counter(registry, "cachet.evictions", "Entries the store evicted for size", Tags.empty(), CacheStats::evictions);
    counter(registry, "cachet.invalidations", "Invalidation calls", Tags.empty(), CacheStats::invalidations);
    counter(registry, "cachet.corrupt", "Stored entries that could not be read", Tags.empty(),
        CacheStats::corruptEntries);

    MemoryStore memory = Stores.find(store, MemoryStore.class);
    if (memory != null) {
      Gauge.builder("cachet.entries", memory, MemoryStore::size)
          .description("Entries held by the memory store").tags(tags).strongReference(true).register(registry);
      Gauge.builder("cachet.bytes", memory, MemoryStore::weightedBytes)
          .description("Bytes held by the memory store, keys and overhead included").baseUnit(BaseUnits.BYTES)
          .tags(tags).strongReference(true).register(registry);
    }
    FallbackStore fallback = Stores.find(store, FallbackStore.class);
    if (fallback != null) {
      FunctionCounter.builder("cachet.fallback.calls", fallback, FallbackStore::fallbackCalls)
          .description("Reads and writes the fallback store answered while the primary failed")
          .tags(tags).register(registry);
      Gauge.builder("cachet.fallback.pending", fallback, FallbackStore::pendingInvalidations)
          .description("Invalidations waiting for the primary store to come back").tags(tags)
          .strongReference(true).register(registry);
    }
    CircuitAware breaker = Stores.find(store, CircuitAware.class);
    if (breaker != null) {
      Gauge.builder("cachet.circuit.state", breaker, CachetMeterBinder::circuitState)
          .description("The store's circuit breaker: 0 closed, 1 half-open, 2 open").tags(tags)
          .strongReference(true).register(registry);
    }
  }

  private void counter(MeterRegistry registry, String name, String description, Tags extra, ToLongFunction<CacheStats> f) {
    FunctionCounter.builder(name, cachet, c -> f.applyAsLong(c.stats()))
        .description(description).tags(tags).tags(extra).register(registry);
  }

  static double circuitState(CircuitAware breaker) {
    switch (breaker.circuitState()) {
      case CLOSED:
        return 0;
      case HALF_OPEN:
        return 1;
      default:
        return 2;
    }
  }
}
