package dev.cachet.spring.admin;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the cache's store: {@code UP} when it answers a read, {@link #DEGRADED} when it does
 * not (or its circuit breaker is open), {@code UNKNOWN} without a store bean; {@code UP} without
 * asking any store when Cachet is disabled ({@code cachet.enabled=false}).
 *
 * <p>An unreachable store is not {@code DOWN}: Cachet keeps serving through the outage (from
 * the fallback store, on by default, or as misses), so it must not take the application out of its load balancer. Spring Boot's
 * aggregation ignores statuses missing from {@code management.endpoint.health.status.order}, so
 * by default {@code DEGRADED} shows in this component's details and leaves the application's
 * status alone; an application that wants to alert on it adds it to that order (and, for a
 * non-200 answer, to {@code management.endpoint.health.status.http-mapping}). Thread-safe.
 */
public class CachetHealthIndicator implements HealthIndicator {
  /** The store does not answer; the cache serves from its fallback store, if any, or misses. */
  public static final Status DEGRADED = new Status("DEGRADED",
      "the cache store does not answer: reads are served by the fallback store, if any, or are misses, until it does");

  private final CachetInspector inspector;

  public CachetHealthIndicator(CachetInspector inspector) {
    this.inspector = Objects.requireNonNull(inspector, "inspector");
  }

  @Override
  public Health health() {
    HealthReport report = inspector.health();
    Health.Builder health = (report.status().equals("DOWN") ? Health.status(DEGRADED) : Health.status(report.status()))
        .withDetail("namespace", report.namespace());
    detail(health, "store", report.store());
    detail(health, "circuit", report.circuit());
    detail(health, "entries", report.entries());
    detail(health, "bytes", report.bytes());
    health.withDetail("pendingInvalidations", report.pendingInvalidations());
    detail(health, "error", report.error());
    return health.withDetail("capabilities", report.capabilities()).build();
  }

  private static void detail(Health.Builder health, String name, Object value) {
    if (value != null) {
      health.withDetail(name, value);
    }
  }
}
