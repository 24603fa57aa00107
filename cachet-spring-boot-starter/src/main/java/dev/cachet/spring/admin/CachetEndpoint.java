package dev.cachet.spring.admin;

import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code cachet}: reads the cache's counters and route timings. Read-only on
 * purpose: purges go through the admin API, which has its own credentials, rather than through
 * whatever exposure the application gives its actuator endpoints. Thread-safe.
 */
@Endpoint(id = "cachet")
public class CachetEndpoint {
  private final CachetInspector inspector;

  public CachetEndpoint(CachetInspector inspector) {
    this.inspector = Objects.requireNonNull(inspector, "inspector");
  }

  /** The counters and route timings now. */
  @ReadOperation
  public StatsReport stats() {
    return inspector.stats();
  }
}
