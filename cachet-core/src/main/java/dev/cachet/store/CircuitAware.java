package dev.cachet.store;

/**
 * A store whose calls go through a circuit breaker, for health checks, dashboards and metrics:
 * a {@link CircuitBreakerStore}, or a remote store that keeps its breaker inside. Implementations
 * are thread-safe.
 */
public interface CircuitAware {
  /**
   * The breaker's state now; where a store keeps one breaker per server, the worst of them
   * ({@code OPEN} over {@code HALF_OPEN} over {@code CLOSED}).
   */
  CircuitBreakerStore.State circuitState();
}
