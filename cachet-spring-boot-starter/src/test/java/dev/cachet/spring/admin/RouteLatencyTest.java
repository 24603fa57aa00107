package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * The latency figures of {@code GET .../stats} over real HTTP, with the registry on a clock the
 * test moves: a route idle for longer than Micrometer's window has no percentiles (not zeros), and
 * the percentiles over every route come from the requests of the window, not of the routes' lives.
 */
class RouteLatencyTest {
  static final MockClock CLOCK = new MockClock();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry(SimpleConfig.DEFAULT, CLOCK);
    }
  }

  private static AdminHttp http;
  private static MeterRegistry registry;

  @BeforeAll
  static void start() {
    http = AdminHttp.start(App.class, "cachet.admin.enabled=true", "cachet.admin.token=" + AdminHttp.TOKEN);
    registry = http.bean(MeterRegistry.class);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  @BeforeEach
  void freshTimers() {
    registry.find(RouteTimers.TIMER).meters().forEach(registry::remove);
    CLOCK.add(Duration.ofMinutes(10));
  }

  private static JsonNode stats() {
    AdminHttp.Reply reply = http.get("/cachet/stats", AdminHttp.TOKEN);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode hitLatency(JsonNode stats, String route) {
    for (JsonNode r : stats.get("routes")) {
      if (r.get("route").asString().equals(route)) {
        return r.get("latency").get("hit");
      }
    }
    throw new AssertionError("no route " + route + " in " + stats);
  }

  private static void record(String route, int times, long millis) {
    Timer timer = AdminApiTest.timer(registry, route, "hit");
    for (int i = 0; i < times; i++) {
      timer.record(Duration.ofMillis(millis));
    }
  }

  @Test
  void aRouteIdleForTheWholeWindowHasNoPercentilesAndDoesNotPullTheOthersDown() {
    record("GET /idle", 10_000, 1);
    assertThat(hitLatency(stats(), "GET /idle").get("p95").asDouble()).isBetween(0.9, 1.1);
    CLOCK.add(Duration.ofSeconds(150));
    record("GET /busy", 10, 100);

    JsonNode stats = stats();
    JsonNode idle = hitLatency(stats, "GET /idle");
    for (String field : new String[] {"p50", "p95", "p99", "maxMillis"}) {
      assertThat(idle.get(field).isNull()).as(field + " of an idle route: " + idle).isTrue();
    }
    assertThat(idle.get("count").asLong()).isEqualTo(10_000);
    assertThat(idle.get("meanMillis").asDouble()).isCloseTo(1.0, within(0.01));
    assertThat(idle.get("recentCount").asLong()).isZero();
    assertThat(hitLatency(stats, "GET /busy").get("p95").asDouble()).isBetween(95.0, 105.0);
    JsonNode overall = stats.get("latency").get("hit");
    assertThat(overall.get("p95").asDouble()).as("the busy route's, alone in the window: " + overall)
        .isBetween(95.0, 105.0);
    assertThat(overall.get("p50").asDouble()).isBetween(95.0, 105.0);
    assertThat(overall.get("maxMillis").asDouble()).isBetween(95.0, 105.0);
  }

  @Test
  void overallPercentilesWeighTheWindowsRequestsNotTheRoutesLives() {
    record("GET /old", 10_000, 1);
    stats(); // the admin API reads the counts once, as the dashboard's polling does
    CLOCK.add(Duration.ofSeconds(150));
    record("GET /old", 10, 1);
    record("GET /new", 10, 100);

    JsonNode stats = stats();
    assertThat(hitLatency(stats, "GET /old").get("recentCount").asLong()).isEqualTo(10);
    JsonNode overall = stats.get("latency").get("hit");
    assertThat(overall.get("recentCount").asLong()).isEqualTo(20);
    assertThat(overall.get("count").asLong()).isEqualTo(10_020);
    // Half of the window's requests took 100 ms: its 95th percentile is one of them.
    assertThat(overall.get("p95").asDouble()).as(overall.toString()).isBetween(95.0, 105.0);
    assertThat(overall.get("p99").asDouble()).isBetween(95.0, 105.0);
  }

  @Test
  void overallPercentilesAreThoseOfAllTheRequestsNotAnAverageOfTheRoutes() {
    record("GET /fast", 100, 1);
    record("GET /slow", 100, 100);
    JsonNode overall = stats().get("latency").get("hit");
    // An average of the two routes' 95th percentiles would say about 50 ms, which no request took.
    assertThat(overall.get("p95").asDouble()).as(overall.toString()).isBetween(95.0, 105.0);
    assertThat(overall.get("p50").asDouble()).as(overall.toString()).isLessThan(1.1);
  }
}
