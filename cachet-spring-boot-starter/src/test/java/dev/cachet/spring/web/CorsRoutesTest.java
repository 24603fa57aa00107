package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cached route with Spring's CORS support, over a real port: Spring answers it with
 * {@code Vary: Origin, ...}, which the route learns, so each origin gets its own entry with its
 * own {@code Access-Control-Allow-Origin}, and an origin Spring refuses is never served one.
 */
class CorsRoutesTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Catalog catalog() {
      return new Catalog();
    }
  }

  @RestController
  static class Catalog {
    private int handled;

    @CrossOrigin(origins = {"https://a.example", "https://c.example"})
    @GetMapping("/catalog")
    @CacheResponse(ttl = "1m")
    synchronized String catalog() {
      return "catalog #" + ++handled;
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private HttpResponse<String> get(@Nullable String origin) throws Exception {
    return origin == null ? app.get("/catalog") : app.get("/catalog", "Origin", origin);
  }

  @Test
  void eachOriginIsServedItsOwnEntryAndARefusedOriginNone() throws Exception {
    get("https://a.example"); // teaches the route Spring's Vary headers
    HttpResponse<String> a = get("https://a.example");
    HttpResponse<String> c = get("https://c.example");
    HttpResponse<String> none = get(null);

    HttpResponse<String> aHit = get("https://a.example");
    assertThat(aHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(aHit.body()).isEqualTo(a.body());
    assertThat(aHit.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://a.example");

    HttpResponse<String> cHit = get("https://c.example");
    assertThat(cHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(cHit.body()).isEqualTo(c.body());
    assertThat(cHit.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://c.example");

    HttpResponse<String> noneHit = get(null);
    assertThat(noneHit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(noneHit.body()).isEqualTo(none.body());
    assertThat(noneHit.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> refused = get("https://evil.example");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }
}
