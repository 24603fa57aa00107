package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard in authority mode behind Spring Security's CSRF protection with its default,
 * session-stored token (no {@code XSRF-TOKEN} cookie): its writes carry the token it asks the
 * admin API for, so purging a tag works. In real headless Chromium.
 */
class DashboardCsrfIT {
  /** Stands for a session sign-in: every request is an admin's. */
  static final class SignedIn extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
          "admin", null, List.of(new SimpleGrantedAuthority("ROLE_CACHET_ADMIN"))));
      try {
        chain.doFilter(request, response);
      } finally {
        SecurityContextHolder.clearContext();
      }
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    FilterRegistrationBean<CsrfFilter> csrfFilter() {
      FilterRegistrationBean<CsrfFilter> csrf = new FilterRegistrationBean<>(new CsrfFilter(new HttpSessionCsrfTokenRepository()));
      csrf.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
      return csrf;
    }

    @Bean
    FilterRegistrationBean<SignedIn> signedIn() {
      FilterRegistrationBean<SignedIn> signedIn = new FilterRegistrationBean<>(new SignedIn());
      signedIn.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
      return signedIn;
    }
  }

  private static AdminHttp http;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws IOException {
    http = AdminHttp.start(App.class, "cachet.admin.enabled=true", "cachet.admin.authority=ROLE_CACHET_ADMIN");
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (http != null) {
      http.close();
    }
  }

  @Test
  void thePurgeFormWorksBehindSessionCsrfProtection() {
    Cachet cachet = http.bean(Cachet.class);
    CachePolicy users = CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("users").build();
    cachet.put("user:42", "{\"name\":\"Ada\"}", Codecs.utf8(), users);
    cachet.put("item:1", "{}", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(10)));
    // The protection is on: a write without the token is refused.
    assertThat(http.send("POST", "/cachet/invalidate?tag=users", null, null, null).status()).isEqualTo(403);
    assertThat(cachet.exists("user:42")).isTrue();

    chromium.browser.get("http://127.0.0.1:" + http.port + "/cachet/dashboard");
    chromium.await(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    chromium.browser.findElement(By.id("purge-tags")).sendKeys("users");
    chromium.browser.findElement(By.id("purge-button")).click();

    chromium.await(10).until(d -> !cachet.exists("user:42"));
    assertThat(cachet.exists("item:1")).isTrue();
  }
}
