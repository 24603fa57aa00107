package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only routes of the multi-instance tests. Conditional so that other tests, whose component
 * scan also finds this class, do not get it: they have no {@link HandlerGate}.
 */
@RestController
@ConditionalOnBooleanProperty("demo.it.cluster-routes")
class ClusterRoutes {
  private final HandlerGate gate;
  private final String instance;

  ClusterRoutes(HandlerGate gate, Environment environment) {
    this.gate = gate;
    this.instance = environment.getProperty("spring.application.name", "demo");
  }

  /** A miss holds the lock of its key in the store: concurrent misses on any instance wait for it. */
  @GetMapping("/it/locked")
  @CacheResponse(ttl = "5m", lock = true)
  Map<String, Object> locked() throws InterruptedException {
    return Map.of("run", gate.pass(), "instance", instance);
  }

  /** The same without the store lock: each instance collapses only its own concurrent misses. */
  @GetMapping("/it/unlocked")
  @CacheResponse(ttl = "5m")
  Map<String, Object> unlocked() throws InterruptedException {
    return Map.of("run", gate.pass(), "instance", instance);
  }

  /** A cheap cached value whose body is known from its path. */
  @GetMapping("/it/value/{name}")
  @CacheResponse(ttl = "5m")
  Map<String, Object> value(@PathVariable String name) {
    return Map.of("value", name, "instance", instance, "servedAt", System.nanoTime());
  }
}
