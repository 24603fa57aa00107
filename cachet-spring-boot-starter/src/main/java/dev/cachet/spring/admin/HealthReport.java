package dev.cachet.spring.admin;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of a cache's store. Immutable.
 *
 * @param status {@code UP} when the store answered or the cache is disabled, {@code DOWN} when it
 *     did not (Cachet then serves each read from the fallback store, on by default, or as a
 *     miss; Actuator's indicator says {@code DEGRADED}), {@code UNKNOWN} when there is no store
 *     bean to ask
 * @param namespace the cache's namespace
 * @param store the store's type; {@link CachetInspector#DISABLED} when the cache is disabled and
 *     uses none; {@code null} when unknown
 * @param reachable whether the store answered a read just now; {@code null} when unknown
 * @param circuit the circuit breaker's state ({@code CLOSED}, {@code HALF_OPEN}, {@code OPEN})
 *     where the store has one
 * @param entries entries held, where the store can tell (the memory store)
 * @param bytes bytes held, where the store can tell (the memory store)
 * @param pendingInvalidations invalidations issued while the store did not answer, kept to be
 *     applied once it does (the cache's own and its fallback store's); {@code 0} when every one
 *     has reached the store
 * @param capabilities the store's optional operations
 * @param error why the store did not answer
 */
public record HealthReport(
    String status,
    String namespace,
    @Nullable String store,
    @Nullable Boolean reachable,
    @Nullable String circuit,
    @Nullable Long entries,
    @Nullable Long bytes,
    int pendingInvalidations,
    List<String> capabilities,
    @Nullable String error) {

  public HealthReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(namespace, "namespace");
    capabilities = List.copyOf(capabilities);
  }

  /** Whether the store answered. */
  public boolean up() {
    return "UP".equals(status);
  }
}
