package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.admin.CachetActuatorAutoConfiguration;
import dev.cachet.spring.admin.CachetHealthIndicator;
import dev.cachet.spring.admin.CachetInspector;
import dev.cachet.spring.admin.CachetMetricsAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetStoreAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code cachet.enabled=false} builds no store and reports no store's health. */
class DisabledCachetTest {
  // Nothing listens on port 1: a store built for it would be DOWN.
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class,
          CachetMetricsAutoConfiguration.class, CachetActuatorAutoConfiguration.class))
      .withPropertyValues("cachet.store=redis", "cachet.redis.url=redis://127.0.0.1:1");

  @Test
  void disabledBuildsNoStoreAndIsUp() {
    runner.withPropertyValues("cachet.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(CacheStore.class);
      Health health = context.getBean(CachetHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("store", CachetInspector.DISABLED);
    });
  }

  @Test
  void theEnvironmentVariableDisablesItToo() {
    runner
        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("env", Map.of("CACHET_ENABLED", "false"))))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CacheStore.class));
    runner.withPropertyValues("cachet.store=memory", "cachet.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CacheStore.class));
  }

  /** A store that is down, and counts how often it was asked. */
  static final class DownStore extends ForwardingStore {
    final AtomicInteger calls = new AtomicInteger();

    DownStore() {
      super(MemoryStore.builder().build());
    }

    @Override
    public long[] getVersions(List<String> keys) {
      calls.incrementAndGet();
      throw new StoreUnavailableException("down");
    }
  }

  @Test
  void aStoreTheApplicationDefinesIsNotAskedWhileDisabled() {
    runner.withPropertyValues("cachet.enabled=false").withBean(DownStore.class, DownStore::new).run(context -> {
      Health health = context.getBean(CachetHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(context.getBean(DownStore.class).calls).hasValue(0);
    });
    // Enabled, the same store is asked, and found unreachable.
    runner.withBean(DownStore.class, DownStore::new).run(context -> {
      assertThat(context.getBean(CachetHealthIndicator.class).health().getStatus())
          .isEqualTo(CachetHealthIndicator.DEGRADED);
    });
  }
}
