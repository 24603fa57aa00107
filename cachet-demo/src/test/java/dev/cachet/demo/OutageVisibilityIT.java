package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.RedisServerProcess;
import dev.cachet.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of a Redis outage through the admin API, with the starter's defaults
 * ({@code cachet.store=redis}, memory fallback on).
 */
class OutageVisibilityIT {
  RedisServerProcess redis;
  DemoInstance a;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
    a = DemoInstance.start("demo-a", redis.uri(), "health-" + UUID.randomUUID(), new SpaceRepository(),
        new HandlerGate(), "--cachet.admin.enabled=true");
  }

  @AfterEach
  void stop() {
    try {
      a.close();
    } finally {
      redis.close();
    }
  }

  /**
   * BUG (reported): the health report reads through the {@code FallbackStore}, whose memory
   * fallback always answers, and finds no circuit breaker under it; so it says {@code UP} while
   * Redis is dead, and {@code storeErrors} stays 0 (the fallback absorbs every failure). Meanwhile
   * the instances serve from private fallbacks that other instances' invalidations cannot reach.
   */
  @Test
  void theAdminHealthReportSaysDownWhileRedisIsDown() {
    HttpResponse<String> before = a.getAsAdmin("/cachet/health");
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.body()).contains("\"status\":\"UP\"");

    redis.kill();
    AtomicInteger n = new AtomicInteger();
    AtomicReference<String> health = new AtomicReference<>();
    try {
      Poll.until(Duration.ofSeconds(8), "the health report to say DOWN", () -> {
        assertThat(a.get("/it/value/v" + n.incrementAndGet()).statusCode()).isEqualTo(200);
        health.set(a.getAsAdmin("/cachet/health").body());
        return health.get().contains("\"status\":\"DOWN\"");
      });
    } catch (AssertionError e) {
      throw new AssertionError("Redis killed, " + n.get() + " requests served since; GET /cachet/health still says "
          + health.get() + "; GET /cachet/stats says " + a.getAsAdmin("/cachet/stats").body(), e);
    }
  }
}
