package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What an untrusted client can get from, or leave in, a shared entry, over real Tomcat with the
 * starter's defaults: a hit never skips the application's own filters, and request inputs that
 * the key leaves out never shape what others get.
 */
class UntrustedRequestsTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Api api() {
      return new Api();
    }

    /**
     * An application's own API-key check, declared the usual way: a Filter bean, no order (Spring
     * Boot registers it at the lowest precedence).
     */
    @Bean
    Filter apiKeyFilter() {
      return (request, response, chain) -> {
        HttpServletRequest req = (HttpServletRequest) request;
        if (req.getRequestURI().startsWith("/partner/") && !"k-123".equals(req.getHeader("X-Api-Key"))) {
          ((HttpServletResponse) response).sendError(401);
          return;
        }
        chain.doFilter(request, response);
      };
    }
  }

  @RestController
  static class Api {
    @GetMapping("/partner/prices")
    @CacheResponse(ttl = "5m")
    Map<String, Object> partnerPrices() {
      return Map.of("secret", "partner price list");
    }

    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "5m", key = "item:{id}")
    Map<String, Object> item(@PathVariable String id, @RequestParam(defaultValue = "brief") String view) {
      return Map.of("id", id, "view", view);
    }

    @GetMapping("/greeting")
    @CacheResponse(ttl = "5m")
    Map<String, Object> greeting(Locale locale) {
      return Map.of("text", locale.getLanguage().equals("fr") ? "Bonjour" : "Hello");
    }

    @GetMapping("/page")
    @CacheResponse(ttl = "5m")
    Map<String, Object> page() {
      return Map.of("self", ServletUriComponentsBuilder.fromCurrentRequest().toUriString());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void aRequestTheApplicationsOwnFilterRejectsIsNotAnsweredFromTheCache() throws Exception {
    HttpResponse<String> partner = app.get("/partner/prices", "X-Api-Key", "k-123");
    assertThat(partner.statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = app.get("/partner/prices");
    assertThat(anonymous.statusCode()).as("the application's filter rejects requests without a key").isEqualTo(401);
  }

  @Test
  void aRequestParameterTheKeyTemplateLeavesOutCannotShapeWhatOthersGet() throws Exception {
    app.get("/items/7?view=%3Cb%3Eowned%3C/b%3E");
    HttpResponse<String> victim = app.get("/items/7");
    assertThat(victim.body()).contains("\"view\":\"brief\"");
  }

  @Test
  void aLocaleArgumentVariesTheKeyByAcceptLanguage() throws Exception {
    app.get("/greeting", "Accept-Language", "fr");
    HttpResponse<String> english = app.get("/greeting", "Accept-Language", "en");
    assertThat(english.body()).contains("Hello");
  }

  @Test
  void anIgnoredUtmParameterNeverReachesWhatOthersGet() throws Exception {
    app.get("/page?utm_source=evil.example");
    HttpResponse<String> victim = app.get("/page");
    assertThat(victim.body()).doesNotContain("evil.example");
  }
}
