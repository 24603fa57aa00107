package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Method security runs around Cachet's advice, not inside it: a cached value is never returned to
 * a caller whom {@code @PreAuthorize} or {@code @PostAuthorize} refuses, though an authorized
 * caller's call stored it.
 */
class MethodSecurityTest {
  public static class Salaries {
    private final AtomicInteger loads = new AtomicInteger();

    public int loads() {
      return loads.get();
    }

    @PreAuthorize("hasRole('PAYROLL')")
    @Cached(ttl = "5m", key = "salary:{id}")
    public String salary(long id) {
      loads.incrementAndGet();
      return "salary of " + id;
    }

    @PostAuthorize("returnObject.startsWith(authentication.name)")
    @Cached(ttl = "5m", key = "payslip:{owner}")
    public String payslip(String owner) {
      loads.incrementAndGet();
      return owner + "'s payslip";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableMethodSecurity
  static class App {
    @Bean
    Salaries salaries() {
      return new Salaries();
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
      .withUserConfiguration(App.class);

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  private static void signIn(String name, String... roles) {
    SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(name, "pw", roles));
  }

  @Test
  void aCachedValueIsNotReturnedToACallerPreAuthorizeRefuses() {
    runner.run(context -> {
      Salaries salaries = context.getBean(Salaries.class);
      signIn("ada", "ROLE_PAYROLL");
      assertThat(salaries.salary(7)).isEqualTo("salary of 7");
      assertThat(salaries.salary(7)).isEqualTo("salary of 7");
      assertThat(salaries.loads()).isEqualTo(1); // the second call was a hit

      signIn("eve", "ROLE_USER");
      assertThatThrownBy(() -> salaries.salary(7)).isInstanceOf(AuthorizationDeniedException.class);
    });
  }

  @Test
  void aCachedValueIsCheckedByPostAuthorizeOnEveryHit() {
    runner.run(context -> {
      Salaries salaries = context.getBean(Salaries.class);
      signIn("ada");
      assertThat(salaries.payslip("ada")).isEqualTo("ada's payslip");
      assertThat(salaries.payslip("ada")).isEqualTo("ada's payslip");
      assertThat(salaries.loads()).isEqualTo(1);

      signIn("eve");
      assertThatThrownBy(() -> salaries.payslip("ada")).isInstanceOf(AuthorizationDeniedException.class);
    });
  }
}
