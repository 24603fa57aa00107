package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.FlakyStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The actuator endpoint and health indicator, present only with actuator. */
class CachetActuatorTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class, CachetMetricsAutoConfiguration.class,
          CachetActuatorAutoConfiguration.class));

  @Test
  void theEndpointReadsTheStats() throws Exception {
    runner.run(context -> {
      CachetEndpoint endpoint = context.getBean(CachetEndpoint.class);
      assertThat(CachetEndpoint.class.getAnnotation(Endpoint.class).id()).isEqualTo("cachet");
      assertThat(CachetEndpoint.class.getMethod("stats").isAnnotationPresent(ReadOperation.class)).isTrue();
      Cachet cachet = context.getBean(Cachet.class);
      cachet.get("a", Codecs.utf8(), () -> "1");
      cachet.get("a", Codecs.utf8(), () -> "1");
      StatsReport stats = endpoint.stats();
      assertThat(stats.hits()).isEqualTo(1);
      assertThat(stats.misses()).isEqualTo(1);
      assertThat(stats.hitRate()).isEqualTo(0.5);
    });
  }

  @Test
  void healthIsUpWithDetailsAndDownWhenTheStoreIs() {
    FlakyStore flaky = new FlakyStore(MemoryStore.create());
    runner.withBean(CacheStore.class, () -> flaky).run(context -> {
      HealthIndicator indicator = context.getBean("cachetHealthIndicator", HealthIndicator.class);
      Health up = indicator.health();
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails()).containsEntry("namespace", "cachet").containsEntry("store", "FlakyStore")
          .containsEntry("capabilities", List.of("PATTERN_SCAN", "IN_PROCESS"));
      flaky.down(true);
      Health down = indicator.health();
      assertThat(down.getStatus()).isEqualTo(CachetHealthIndicator.DEGRADED);
      assertThat(down.getDetails().get("error").toString()).contains("connection refused");
    });
    runner.run(context -> assertThat(context.getBean("cachetHealthIndicator", HealthIndicator.class).health()
        .getDetails()).containsKeys("entries", "bytes"));
  }

  @Test
  void anUnreachableStoreLeavesTheApplicationUpUnlessTheApplicationSaysOtherwise() {
    FlakyStore flaky = new FlakyStore(MemoryStore.create());
    flaky.down(true);
    runner.withBean(CacheStore.class, () -> flaky).run(context -> {
      Status cachet = context.getBean("cachetHealthIndicator", HealthIndicator.class).health().getStatus();
      // Spring Boot's default aggregation, as /actuator/health applies it over every indicator.
      assertThat(new SimpleStatusAggregator().getAggregateStatus(Set.of(Status.UP, cachet))).isEqualTo(Status.UP);
      // An application that wants the outage to count says so in its status order.
      assertThat(new SimpleStatusAggregator("DOWN", "DEGRADED", "OUT_OF_SERVICE", "UP", "UNKNOWN")
          .getAggregateStatus(Set.of(Status.UP, cachet))).isEqualTo(CachetHealthIndicator.DEGRADED);
    });
  }

  @Test
  void theIndicatorCanBeTurnedOff() {
    runner.withPropertyValues("management.health.cachet.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("cachetHealthIndicator").hasSingleBean(CachetEndpoint.class));
  }

  @Test
  void nothingWithoutActuator() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CachetEndpoint.class)
            .doesNotHaveBean("cachetHealthIndicator").hasSingleBean(CachetInspector.class));
  }
}
