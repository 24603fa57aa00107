package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetStoreAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.FlakyStore;
import dev.cachet.testing.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Cachet's meters, read through a {@link SimpleMeterRegistry}. */
class CachetMetricsTest {
  private static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(1));

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class, CachetMetricsAutoConfiguration.class))
      .withPropertyValues("cachet.namespace=shop");

  private static double count(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags("namespace", "shop").tags(tags).functionCounter().count();
  }

  @Test
  void countersFollowTheCacheWithoutSpringBootMetrics() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(MeterRegistry.class).hasBean("cachetMeterRegistry");
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Cachet cachet = context.getBean(Cachet.class);
      cachet.get("a", Codecs.utf8(), POLICY, () -> "1");
      cachet.get("a", Codecs.utf8(), POLICY, () -> "1");
      cachet.get("a", Codecs.utf8(), POLICY, () -> "1");
      try {
        cachet.get("b", Codecs.utf8(), POLICY, () -> {
          throw new IllegalStateException("down");
        });
      } catch (IllegalStateException expected) {
        // counted below
      }
      cachet.invalidateTags("t");
      cachet.delete("a");

      assertThat(count(registry, "cachet.gets", "result", "hit")).isEqualTo(2);
      assertThat(count(registry, "cachet.gets", "result", "miss")).isEqualTo(2);
      assertThat(count(registry, "cachet.gets", "result", "stale")).isZero();
      assertThat(count(registry, "cachet.loads")).isEqualTo(1);
      assertThat(count(registry, "cachet.load.failures")).isEqualTo(1);
      assertThat(count(registry, "cachet.invalidations")).isEqualTo(2);
      for (String name : List.of("cachet.store.errors", "cachet.evictions", "cachet.corrupt")) {
        assertThat(count(registry, name)).as(name).isZero();
      }
      cachet.put("c", "x".repeat(1000), Codecs.utf8(), POLICY);
      assertThat(registry.get("cachet.entries").tags("namespace", "shop").gauge().value()).isEqualTo(1);
      assertThat(registry.get("cachet.bytes").gauge().value()).isGreaterThan(1000);
      assertThat(registry.get("cachet.bytes").gauge().getId().getBaseUnit()).isEqualTo("bytes");
      assertThat(registry.find("cachet.circuit.state").gauge()).isNull();
    });
  }

  @Test
  void theCircuitGaugeFollowsTheBreaker() {
    MutableClock clock = new MutableClock();
    FlakyStore flaky = new FlakyStore(MemoryStore.create());
    CircuitBreakerStore breaker = CircuitBreakerStore.builder(flaky).failureThreshold(2)
        .openDuration(Duration.ofSeconds(5)).clock(clock).build();
    runner.withBean(CacheStore.class, () -> breaker).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Cachet cachet = context.getBean(Cachet.class);
      CachetInspector inspector = context.getBean(CachetInspector.class);
      assertThat(registry.get("cachet.circuit.state").gauge().value()).isZero();
      assertThat(inspector.health().circuit()).isEqualTo("CLOSED");

      flaky.down(true);
      cachet.get("a", Codecs.utf8(), POLICY, () -> "1");
      cachet.get("a", Codecs.utf8(), POLICY, () -> "1");
      assertThat(registry.get("cachet.circuit.state").gauge().value()).isEqualTo(2);
      assertThat(count(registry, "cachet.store.errors")).isPositive();
      HealthReport down = inspector.health();
      assertThat(down.status()).isEqualTo("DOWN");
      assertThat(down.reachable()).isFalse();
      assertThat(down.circuit()).isEqualTo("OPEN");
      assertThat(down.error()).contains("circuit is open");
      assertThat(down.store()).isEqualTo("CircuitBreakerStore > FlakyStore");

      clock.advance(Duration.ofSeconds(6));
      assertThat(registry.get("cachet.circuit.state").gauge().value()).isEqualTo(1);
      flaky.down(false);
      HealthReport up = inspector.health();
      assertThat(up.status()).isEqualTo("UP");
      assertThat(up.circuit()).isEqualTo("CLOSED");
      assertThat(registry.get("cachet.circuit.state").gauge().value()).isZero();
    });
  }

  @Test
  void aStoreThatKeepsItsBreakerInsideShowsItInHealthAndMetrics() {
    // Redis keeps its breaker inside the store, behind the starter's fallback: nothing listens
    // on port 1, so the breaker opens after its failures.
    runner.withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class))
        .withPropertyValues("cachet.store=redis", "cachet.redis.url=redis://127.0.0.1:1",
            "cachet.redis.command-timeout=200ms")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          CachetInspector inspector = context.getBean(CachetInspector.class);
          assertThat(registry.get("cachet.circuit.state").gauge().value()).isZero();
          Cachet cachet = context.getBean(Cachet.class);
          for (int i = 0; i < 10 && registry.get("cachet.circuit.state").gauge().value() == 0; i++) {
            cachet.get("a" + i, Codecs.utf8(), POLICY, () -> "1");
          }
          assertThat(registry.get("cachet.circuit.state").gauge().value()).isEqualTo(2);
          HealthReport down = inspector.health();
          assertThat(down.circuit()).isEqualTo("OPEN");
          assertThat(down.store()).contains("RedisStore");
        });
  }

  @Test
  void fallbackMetersFollowTheOutage() {
    FlakyStore flaky = new FlakyStore(MemoryStore.create());
    FallbackStore store = FallbackStore.of(flaky, MemoryStore.create(), Duration.ofSeconds(30));
    CachePolicy tagged = CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("t").build();
    runner.withBean(CacheStore.class, () -> store).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Cachet cachet = context.getBean(Cachet.class);
      cachet.get("a", Codecs.utf8(), tagged, () -> "1");
      assertThat(count(registry, "cachet.fallback.calls")).isZero();
      assertThat(registry.get("cachet.fallback.pending").tags("namespace", "shop").gauge().value()).isZero();

      flaky.down(true);
      cachet.get("b", Codecs.utf8(), tagged, () -> "2");
      cachet.invalidateTags("t");
      assertThat(count(registry, "cachet.fallback.calls")).isPositive();
      assertThat(registry.get("cachet.fallback.pending").gauge().value()).isEqualTo(1);

      flaky.down(false);
      assertThat(cachet.get("a", Codecs.utf8(), tagged, () -> "reloaded")).isEqualTo("reloaded");
      assertThat(registry.get("cachet.fallback.pending").gauge().value()).isZero();
    });
  }

  @Test
  void theApplicationsRegistryIsUsedAndBoundOnce() {
    SimpleMeterRegistry own = new SimpleMeterRegistry();
    runner.withBean(MeterRegistry.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean("cachetMeterRegistry");
      context.getBean(Cachet.class).get("a", Codecs.utf8(), POLICY, () -> "1");
      assertThat(own.get("cachet.gets").tags("result", "miss").functionCounter().count()).isEqualTo(1);
    });
    runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
        .run(context -> {
          assertThat(context).hasSingleBean(MeterRegistry.class).doesNotHaveBean("cachetMeterRegistry")
              .doesNotHaveBean("cachetMeterBinderRegistration");
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          context.getBean(Cachet.class).get("a", Codecs.utf8(), POLICY, () -> "1");
          assertThat(registry.find("cachet.gets").tags(Tags.of("result", "miss")).functionCounters()).hasSize(1);
          assertThat(count(registry, "cachet.gets", "result", "miss")).isEqualTo(1);
        });
  }

  @Test
  void theInspectorReadsRouteTimersFromTheRegistry() {
    runner.run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      CachetInspector inspector = context.getBean(CachetInspector.class);
      assertThat(inspector.stats().routes()).isEmpty();
      assertThat(inspector.stats().hitRate()).isNull();
      for (int i = 0; i < 50; i++) {
        AdminApiTest.timer(registry, "GET /a", "hit").record(Duration.ofMillis(2));
        AdminApiTest.timer(registry, "GET /b", "hit").record(Duration.ofMillis(10));
      }
      AdminApiTest.timer(registry, "GET /b", "miss").record(Duration.ofMillis(100));
      AdminApiTest.timer(registry, "GET /b", "skip").record(Duration.ofMillis(1));
      StatsReport stats = inspector.stats();
      assertThat(stats.namespace()).isEqualTo("shop");
      assertThat(stats.routes()).extracting(StatsReport.Route::route).containsExactly("GET /b", "GET /a");
      StatsReport.Route b = stats.routes().get(0);
      assertThat(b.requests()).isEqualTo(52);
      assertThat(b.results()).containsEntry("hit", 50L).containsEntry("miss", 1L).containsEntry("skip", 1L);
      assertThat(b.hitRate()).isEqualTo(50 / 51.0);
      StatsReport.Latency hits = stats.latency().get("hit");
      assertThat(hits.count()).isEqualTo(100);
      assertThat(hits.meanMillis()).isEqualTo(6.0, org.assertj.core.data.Offset.offset(0.01));
      // Over both routes: between their own medians (Micrometer's estimate of 2 ms is 1.97 ms).
      assertThat(hits.p50()).isBetween(1.9, 10.5);
      assertThat(stats.routes().get(1).latency().get("hit").p50()).isBetween(1.9, 2.1);
    });
  }
}
