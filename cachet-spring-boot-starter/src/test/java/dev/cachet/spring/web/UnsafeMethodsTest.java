package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring MVC's functional routes map any method, WebDAV's {@code MOVE} or one of the
 * application's own: a successful one invalidates as a {@code POST} does, since its safety is
 * unknown (RFC 9111 section 4.4); {@code OPTIONS} does not. Real Tomcat.
 */
class UnsafeMethodsTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Docs docs() {
      return new Docs();
    }

    @Bean
    RouterFunction<ServerResponse> otherMethods() {
      return RouterFunctions.route()
          .route(RequestPredicates.method(HttpMethod.valueOf("MOVE")), request -> ServerResponse.ok().body("moved"))
          .route(RequestPredicates.method(HttpMethod.valueOf("FROBNICATE")), request -> ServerResponse.ok().body("done"))
          .build();
    }
  }

  @RestController
  static class Docs {
    @GetMapping("/docs/{id}")
    @CacheResponse(ttl = "5m")
    String doc(@PathVariable String id) {
      return "doc " + id;
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @Test
  void aSuccessfulMethodOfUnknownSafetyInvalidatesAndOptionsDoesNot() throws Exception {
    for (String method : new String[] {"MOVE", "FROBNICATE", "OPTIONS"}) {
      String path = "/docs/" + method.toLowerCase(java.util.Locale.ROOT);
      app.get(path);
      assertThat(app.get(path).headers().firstValue("X-Cache")).as(method).hasValue("HIT");
      HttpResponse<String> write = app.send(method, path);
      assertThat(write.statusCode()).as(method).isEqualTo(200);
      assertThat(app.get(path).headers().firstValue("X-Cache")).as(method)
          .hasValue(method.equals("OPTIONS") ? "HIT" : "MISS");
    }
  }
}
