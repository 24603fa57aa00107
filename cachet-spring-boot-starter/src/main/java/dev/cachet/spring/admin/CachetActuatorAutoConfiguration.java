package dev.cachet.spring.admin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator endpoint {@code cachet} and the health indicator {@code cachet}, each only when its
 * actuator module ({@code spring-boot-actuator}, {@code spring-boot-health}) is on the class path.
 * The health indicator can be turned off with {@code management.health.cachet.enabled=false}.
 */
@AutoConfiguration(after = CachetMetricsAutoConfiguration.class)
@ConditionalOnBean(CachetInspector.class)
public class CachetActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CachetEndpoint cachetEndpoint(CachetInspector inspector) {
      return new CachetEndpoint(inspector);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthConfiguration {
    // Nested: the condition below needs spring-boot-health's classes, checked just above.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("cachet")
    static class Enabled {
      @Bean
      @ConditionalOnMissingBean(name = "cachetHealthIndicator")
      CachetHealthIndicator cachetHealthIndicator(CachetInspector inspector) {
        return new CachetHealthIndicator(inspector);
      }
    }
  }
}
