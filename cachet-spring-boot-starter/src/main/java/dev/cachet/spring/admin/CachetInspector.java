package dev.cachet.spring.admin;

import dev.cachet.CacheStats;
import dev.cachet.Cachet;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitAware;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads what the admin API, the dashboard and the actuator show of one cache: its counters, the
 * HTTP layer's route timers from a {@link MeterRegistry}, and its store's health.
 *
 * <p>Thread-safe. {@link #health()} makes one read of the store (the namespace's version key, which
 * every lookup reads anyway), so it is cheap but not free; it never throws.
 */
public final class CachetInspector {
  /** The store a disabled cache reports. */
  public static final String DISABLED = "none (cachet.enabled=false)";

  private final Cachet cachet;
  private final String namespace;
  private final @Nullable CacheStore store;
  private final Supplier<@Nullable MeterRegistry> registry;
  private final Clock clock;
  private final String probeKey;
  private final RouteTimers routeTimers = new RouteTimers();

  /**
   * @param cachet the cache
   * @param namespace its namespace
   * @param store its store, or {@code null} when unknown (health then says {@code UNKNOWN})
   * @param registry where the HTTP layer's {@code cachet.http.requests} timers are; may supply
   *     {@code null}
   */
  public CachetInspector(
      Cachet cachet, String namespace, @Nullable CacheStore store, Supplier<@Nullable MeterRegistry> registry) {
    this(cachet, namespace, store, registry, Clock.systemUTC());
  }

  CachetInspector(
      Cachet cachet, String namespace, @Nullable CacheStore store, Supplier<@Nullable MeterRegistry> registry,
      Clock clock) {
    this.cachet = Objects.requireNonNull(cachet, "cachet");
    this.namespace = KeyMapper.validateNamespace(namespace);
    this.store = store;
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.probeKey = new KeyMapper(namespace).namespaceVersionKey();
  }

  /** The cache's namespace. */
  public String namespace() {
    return namespace;
  }

  /** The counters now, with the route timers. */
  public StatsReport stats() {
    CacheStats s = cachet.stats();
    RouteTimers.Summary timers = routeTimers.read(registry.get());
    return new StatsReport(
        namespace, clock.millis(), s.hits(), s.staleHits(), s.misses(), s.requests(),
        s.requests() == 0 ? null : s.hitRate(), s.loads(), s.loadFailures(), s.storeErrors(),
        s.corruptEntries(), s.evictions(), s.invalidations(), timers.byResult(), timers.routes());
  }

  /**
   * Asks the store whether it answers, and what it holds where it can tell. A disabled cache
   * ({@link Cachet#noop()}, {@code cachet.enabled=false}) uses no store: it is {@code UP} with the
   * store {@value #DISABLED}, and no store is asked, so an outage of a store nothing uses cannot
   * bring the application's health down.
   */
  public HealthReport health() {
    List<String> capabilities = new ArrayList<>();
    for (StoreCapability c : cachet.capabilities()) {
      capabilities.add(c.name());
    }
    if (cachet.namespace().isEmpty()) { // Cachet.noop(), documented as touching no store
      return new HealthReport("UP", namespace, DISABLED, null, null, null, null, 0, capabilities, null);
    }
    if (store == null) {
      return new HealthReport(
          "UNKNOWN", namespace, null, null, null, null, null, pendingInvalidations(), capabilities, null);
    }
    String error = null;
    try {
      Stores.probed(store).getVersions(List.of(probeKey));
    } catch (RuntimeException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    // Read after the probe: a successful probe closes a half-open circuit.
    CircuitAware breaker = Stores.find(store, CircuitAware.class);
    MemoryStore memory = Stores.find(store, MemoryStore.class);
    return new HealthReport(
        error == null ? "UP" : "DOWN", namespace, describe(store), error == null,
        breaker == null ? null : breaker.circuitState().name(),
        memory == null ? null : memory.size(),
        memory == null ? null : memory.weightedBytes(),
        pendingInvalidations(), capabilities, error);
  }

  /**
   * The invalidations issued while the store did not answer and not applied to it yet: the
   * cache's own ({@link Cachet#pendingInvalidations()}) and its {@link FallbackStore}'s, if any.
   * Reads no store.
   */
  public int pendingInvalidations() {
    FallbackStore fallback = Stores.find(store, FallbackStore.class);
    return cachet.pendingInvalidations() + (fallback == null ? 0 : fallback.pendingInvalidations());
  }

  /** The name of the store that holds the entries (behind any fallback or breaker), for messages; "the store" when unknown. */
  String storeName() {
    CacheStore s = store;
    for (int depth = 0; s != null && Stores.unwrap(s) != null && depth < 8; depth++) {
      s = Stores.unwrap(s);
    }
    return s == null ? "the store" : s.getClass().getSimpleName();
  }

  private static String describe(CacheStore store) {
    CacheStore s = store;
    StringBuilder name = new StringBuilder();
    for (CacheStore inner = Stores.unwrap(s); inner != null; inner = Stores.unwrap(s)) {
      name.append(s.getClass().getSimpleName()).append(" > ");
      s = inner;
    }
    return name.append(s.getClass().getSimpleName()).toString();
  }
}
