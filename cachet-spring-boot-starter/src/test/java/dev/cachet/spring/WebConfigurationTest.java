package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.servlet.CachetFilter;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.web.CachetWebAutoConfiguration;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

class WebConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class, CachetWebAutoConfiguration.class))
      .withUserConfiguration(Mvc.class);

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  static class Mvc {}

  @RestController
  static class Good {
    @GetMapping("/good")
    @CacheResponse(ttl = "10s")
    String good() {
      return "ok";
    }
  }

  @RestController
  static class Bad {
    @GetMapping("/bad")
    @CacheResponse(ttl = "banana")
    String bad() {
      return "no";
    }
  }

  @Test
  void registersTheFilterLastForRequestAndAsyncDispatches() {
    runner.withBean(Good.class).run(context -> {
      assertThat(context).hasSingleBean(CachetFilter.class);
      FilterRegistration registration = context.findAnnotationOnBean("cachetFilter", FilterRegistration.class);
      assertThat(registration).isNotNull();
      assertThat(registration.dispatcherTypes())
          .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
      assertThat(registration.asyncSupported()).isTrue();
      Order order = context.findAnnotationOnBean("cachetFilter", Order.class);
      assertThat(order).isNotNull();
      assertThat(order.value()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
    });
  }

  @Test
  void canBeSwitchedOff() {
    runner.withPropertyValues("cachet.http.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("cachetFilter"));
  }

  @Test
  void aBadAnnotationFailsTheStart() {
    runner.withBean(Bad.class).run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("banana"));
  }
}
