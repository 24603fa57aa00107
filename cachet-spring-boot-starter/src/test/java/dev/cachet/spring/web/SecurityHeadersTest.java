package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.IdentityResolver;
import dev.cachet.spring.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-caller responses behind Spring Security's filter chain, over real Tomcat: its default
 * {@code Cache-Control: no-cache, no-store, ...} still goes on them (it is written only where no
 * {@code Cache-Control} is set, so Cachet does not set {@code private} first); without the chain
 * they say {@code private}.
 */
class SecurityHeadersTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Me me() {
      return new Me();
    }

    @Bean
    IdentityResolver identity() {
      return request -> request.getHeader("X-User");
    }
  }

  /** The same application with Spring Security's filter chain, its default cache headers on. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class SecuredApp extends App {
    @Bean
    FilterChainProxy springSecurityFilterChain() {
      return new FilterChainProxy(new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE,
          new HeaderWriterFilter(List.of(new CacheControlHeadersWriter()))));
    }

    @Bean
    FilterRegistrationBean<FilterChainProxy> securityRegistration(FilterChainProxy chain) {
      FilterRegistrationBean<FilterChainProxy> registration = new FilterRegistrationBean<>(chain);
      registration.setOrder(-100); // where Spring Boot puts Spring Security's chain
      return registration;
    }
  }

  @RestController
  static class Me {
    @GetMapping("/me")
    @CacheResponse(ttl = "10m", varyByPrincipal = true)
    Map<String, String> me(@RequestHeader("X-User") String user) {
      return Map.of("user", user);
    }
  }

  static HttpResponse<String> me(int port, String user) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me"))
        .header("X-User", user).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cacheControl(HttpResponse<?> r) {
    return String.join(", ", r.headers().allValues("Cache-Control"));
  }

  @Nested
  class WithSpringSecurity {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(SecuredApp.class);

    @Test
    void itsNoStoreHeadersStillGoOnPerCallerResponses() throws Exception {
      HttpResponse<String> miss = me(app.port(), "ada");
      HttpResponse<String> hit = me(app.port(), "ada");

      assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
      for (HttpResponse<String> r : List.of(miss, hit)) {
        assertThat(cacheControl(r)).contains("no-store").doesNotContain("private");
      }
    }
  }

  @Nested
  class WithSpringSecurityAndPrivateForced {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(SecuredApp.class, "cachet.http.private-when-unset=true");

    @Test
    void privateComesFirstAndSpringSecurityWritesNone() throws Exception {
      me(app.port(), "ada");
      assertThat(cacheControl(me(app.port(), "ada"))).isEqualTo("private");
    }
  }

  @Nested
  class WithoutSpringSecurity {
    @RegisterExtension
    static final RunningApp app = RunningApp.perClass(App.class);

    @Test
    void perCallerResponsesArePrivate() throws Exception {
      me(app.port(), "ada");
      assertThat(cacheControl(me(app.port(), "ada"))).isEqualTo("private");
    }
  }
}
