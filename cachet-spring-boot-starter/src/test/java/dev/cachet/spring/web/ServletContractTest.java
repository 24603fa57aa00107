package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a Spring handler does to the response on a cached route behaves as on Tomcat's own
 * response: sessions and cookies, resets, locales, asynchronous writes. Tomcat on a real port.
 */
class ServletContractTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Pages pages() {
      return new Pages();
    }
  }

  @RestController
  static class Pages {
    @GetMapping("/welcome")
    @CacheResponse(ttl = "1m")
    String welcome(HttpServletRequest request, HttpServletResponse response) {
      request.getSession().setAttribute("visited", true);
      response.addCookie(new Cookie("pref", "dark"));
      return "<a href=\"" + response.encodeURL("/next") + "\">next</a> session=" + request.getSession().getId();
    }
  }

  private static RunningApp app;

  @BeforeAll
  static void start() {
    app = RunningApp.start(App.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("X-Cache").orElse("none");
  }

  @Test
  void aResponseThatCreatesASessionOrSetsACookieIsNeverReplayed() throws Exception {
    HttpResponse<String> first = app.get("/welcome");
    HttpResponse<String> second = app.get("/welcome");
    assertThat(first.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="))
        .anySatisfy(c -> assertThat(c).startsWith("pref=dark"));
    assertThat(xCache(second)).isEqualTo("MISS");
    assertThat(second.body()).isNotEqualTo(first.body());
    assertThat(second.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="))
        .anySatisfy(c -> assertThat(c).startsWith("pref=dark"));
  }
}
