package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CachetAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  @Test
  void providesACachetOnTheMemoryStoreByDefault() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(Cachet.class).hasSingleBean(CacheStore.class);
      assertThat(context.getBean(CacheStore.class)).isInstanceOf(MemoryStore.class);
      Cachet cachet = context.getBean(Cachet.class);
      AtomicInteger loads = new AtomicInteger();
      CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(1));
      cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    });
  }

  @Test
  void disabledMeansEveryReadLoads() {
    runner.withPropertyValues("cachet.enabled=false").run(context -> {
      Cachet cachet = context.getBean(Cachet.class);
      AtomicInteger loads = new AtomicInteger();
      CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(1));
      cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    });
  }

  @Test
  void environmentVariableFormsBind() {
    runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
        new org.springframework.core.env.SystemEnvironmentPropertySource("env",
            java.util.Map.of("CACHET_DEFAULT_TTL", "2s", "CACHET_ENABLED", "false")))).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(dev.cachet.spring.autoconfigure.CachetProperties.class).getDefaultTtl())
          .isEqualTo(Duration.ofSeconds(2));
      assertThat(context.getBean(Cachet.class)).isSameAs(Cachet.noop());
    });
  }

  @Test
  void badSettingsFailTheStartWithAClearMessage() {
    runner.withPropertyValues("cachet.namespace=bad:ns").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("namespace"));
    runner.withPropertyValues("cachet.default-ttl=0s").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("ttl must be positive"));
  }

  @Test
  void aStoreWithoutItsModuleFailsTheStartSayingWhatToAdd() {
    runner.withPropertyValues("cachet.store=redis").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("cachet-redis"));
  }

  @Test
  void applicationBeansWin() {
    runner.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context.getBean(Cachet.class)).isSameAs(OwnBeans.CACHET);
      assertThat(context.getBean(CacheStore.class)).isSameAs(OwnBeans.STORE);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final MemoryStore STORE = MemoryStore.create();
    static final Cachet CACHET = Cachet.builder().store(MemoryStore.create()).namespace("own").build();

    @Bean
    CacheStore store() {
      return STORE;
    }

    @Bean
    Cachet cachet() {
      return CACHET;
    }
  }
}
