package dev.cachet.spring.admin;

import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetProperties;
import dev.cachet.store.CacheStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cachet's meters ({@link CachetMeterBinder}) and the {@link CachetInspector} the admin API, the
 * dashboard and the actuator read. The HTTP layer's timers and these meters live in the
 * application's {@link MeterRegistry}; without one (no actuator), a {@link SimpleMeterRegistry} is
 * created so that the dashboard still has per-route figures.
 */
@AutoConfiguration(
    after = CachetAutoConfiguration.class,
    afterName = {
      CachetMetricsAutoConfiguration.BOOT_METRICS,
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(Cachet.class)
public class CachetMetricsAutoConfiguration {
  static final String BOOT_METRICS = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

  @Bean
  @ConditionalOnMissingBean(MeterRegistry.class)
  SimpleMeterRegistry cachetMeterRegistry() {
    return new SimpleMeterRegistry();
  }

  @Bean
  @ConditionalOnMissingBean
  CachetMeterBinder cachetMeterBinder(
      Cachet cachet, ObjectProvider<CachetProperties> properties, ObjectProvider<CacheStore> store) {
    return new CachetMeterBinder(cachet, namespace(properties), store.getIfUnique());
  }

  @Bean
  @ConditionalOnMissingBean
  CachetInspector cachetInspector(
      Cachet cachet, ObjectProvider<CachetProperties> properties, ObjectProvider<CacheStore> store,
      ObjectProvider<MeterRegistry> registry) {
    return new CachetInspector(cachet, namespace(properties), store.getIfUnique(), registry::getIfAvailable);
  }

  /** The configured namespace; the default one when the application built its cache itself. */
  private static String namespace(ObjectProvider<CachetProperties> properties) {
    return properties.getIfAvailable(CachetProperties::new).getNamespace();
  }

  /**
   * Spring Boot's metrics support binds every {@code MeterBinder} bean to the registry; without it
   * nothing would, so the binder is bound here.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(type = BOOT_METRICS)
  static class BinderRegistration {
    @Bean
    @ConditionalOnMissingBean(name = "cachetMeterBinderRegistration")
    SmartInitializingSingleton cachetMeterBinderRegistration(
        ObjectProvider<MeterRegistry> registry, ObjectProvider<CachetMeterBinder> binder) {
      return () -> {
        MeterRegistry r = registry.getIfAvailable();
        CachetMeterBinder b = binder.getIfAvailable();
        if (r != null && b != null) {
          b.bindTo(r);
        }
      };
    }
  }
}
