package dev.cachet.spring.admin;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the cache's store: {@code UP} when it answers a read, {@code DOWN} when it does not
 * (or its circuit breaker is open), {@code UNKNOWN} without a store bean; {@code UP} without asking
 * any store when Cachet is disabled ({@code cachet.enabled=false}). Cachet keeps serving
 * through an outage (every read a miss), so put this indicator in no liveness group. Thread-safe.
 */
public class CachetHealthIndicator implements HealthIndicator {
  private final CachetInspector inspector;

  public CachetHealthIndicator(CachetInspector inspector) {
    this.inspector = Objects.requireNonNull(inspector, "inspector");
  }

  @Override
  public Health health() {
    HealthReport report = inspector.health();
    Health.Builder health = Health.status(report.status()).withDetail("namespace", report.namespace());
    detail(health, "store", report.store());
    detail(health, "circuit", report.circuit());
    detail(health, "entries", report.entries());
    detail(health, "bytes", report.bytes());
    detail(health, "error", report.error());
    return health.withDetail("capabilities", report.capabilities()).build();
  }

  private static void detail(Health.Builder health, String name, Object value) {
    if (value != null) {
      health.withDetail(name, value);
    }
  }
}
