package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Security's chain must run before a read is answered from the cache. Where it is left a
 * plain filter bean (no Spring Boot security auto-configuration to register it at -100), Spring
 * Boot registers it after Cachet's filter: Cachet then caches no read rather than answer one the
 * chain would refuse. Real Tomcat, real Spring Security.
 */
class SecurityChainOrderTest {
  static final AtomicInteger runs = new AtomicInteger();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableWebSecurity
  static class App {
    @Bean
    Report report() {
      return new Report();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ada").password("{noop}pw").roles("ADMIN").build(),
          User.withUsername("bob").password("{noop}pw").roles("USER").build());
    }

    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .httpBasic(Customizer.withDefaults())
          .headers(h -> h.cacheControl(c -> c.disable()))
          .authorizeHttpRequests(a -> a.requestMatchers("/admin/**").hasRole("ADMIN").anyRequest().permitAll())
          .build();
    }
  }

  @RestController
  static class Report {
    @GetMapping("/admin/report")
    @CacheResponse(ttl = "10m", shared = true)
    Map<String, Object> report() {
      return Map.of("report", "payroll", "run", runs.incrementAndGet());
    }
  }

  /** As Spring Boot's security auto-configuration registers it. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  static class RegisteredApp extends App {
    @Bean
    FilterRegistrationBean<jakarta.servlet.Filter> securityRegistration(
        @org.springframework.beans.factory.annotation.Qualifier("springSecurityFilterChain") jakarta.servlet.Filter chain) {
      FilterRegistrationBean<jakarta.servlet.Filter> registration = new FilterRegistrationBean<>(chain);
      registration.setOrder(-100);
      return registration;
    }
  }

  static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":pw").getBytes());
  }

  private static String xCache(HttpResponse<String> r) {
    return r.headers().firstValue("X-Cache").orElse("");
  }

  @Nested
  class ChainAfterCachet {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(App.class);

    @Test
    void noReadIsAnsweredFromTheCacheAndTheChainRefusesWhatItRefuses() throws Exception {
      assertThat(app.get("/admin/report", "Authorization", basic("ada")).statusCode()).isEqualTo(200);
      HttpResponse<String> again = app.get("/admin/report", "Authorization", basic("ada"));
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(xCache(again)).isEmpty(); // not cached: Cachet left it alone
      assertThat(app.get("/admin/report", "Authorization", basic("bob")).statusCode()).isEqualTo(403);
      assertThat(app.get("/admin/report").statusCode()).isEqualTo(401);
    }
  }

  @Nested
  class ChainBeforeCachet {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(RegisteredApp.class);

    @Test
    void sharedEntriesAreServedOnlyToWhomTheChainLetsThrough() throws Exception {
      assertThat(xCache(app.get("/admin/report", "Authorization", basic("ada")))).isEqualTo("MISS");
      assertThat(xCache(app.get("/admin/report", "Authorization", basic("ada")))).isEqualTo("HIT");
      assertThat(app.get("/admin/report", "Authorization", basic("bob")).statusCode()).isEqualTo(403);
      assertThat(app.get("/admin/report").statusCode()).isEqualTo(401);
    }
  }
}
