package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.ModelAndView;

/**
 * A response that an exception handler produced is never stored, whatever its status: an
 * {@code @ExceptionHandler} without {@code @ResponseStatus} answers 200, and that error body must
 * not be replayed to every later caller of the route. Over a real port.
 */
class ExceptionHandlerResponsesTest {
  static final AtomicInteger handled = new AtomicInteger();
  static volatile boolean failing;

  static final class Unavailable extends RuntimeException {
    Unavailable() {
      super("the catalog is unavailable");
    }
  }

  static final class Moved extends RuntimeException {
    Moved() {
      super("moved");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Items items() {
      return new Items();
    }

    @Bean
    Errors errors() {
      return new Errors();
    }
  }

  @RestController
  static class Items {
    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m")
    Map<String, Object> item(@PathVariable String id) {
      int n = handled.incrementAndGet();
      if (failing) {
        throw new Unavailable();
      }
      return Map.of("id", id, "n", n);
    }

    @GetMapping("/pages/{id}")
    @CacheResponse(ttl = "1m")
    Map<String, Object> page(@PathVariable String id) {
      handled.incrementAndGet();
      throw new Moved();
    }
  }

  /** The usual mistake: an error body with the default status, 200. */
  @RestControllerAdvice
  static class Errors {
    @ExceptionHandler(Unavailable.class)
    Map<String, String> unavailable(Unavailable e) {
      return Map.of("error", e.getMessage());
    }

    /** A view-resolving handler: Spring exposes the exception as the Servlet error attributes. */
    @ExceptionHandler(Moved.class)
    ModelAndView moved(Moved e) {
      return new ModelAndView((model, request, response) -> {
        response.setContentType("text/plain");
        response.getWriter().write("see elsewhere");
      });
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @BeforeEach
  void reset() {
    failing = false;
  }

  @Test
  void anErrorBodyWithStatus200FromAnExceptionHandlerIsNotStored() throws Exception {
    failing = true;
    HttpResponse<String> failed = app.get("/items/1");
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(failed.body()).contains("unavailable");
    assertThat(failed.headers().firstValue("X-Cache")).isNotEqualTo(java.util.Optional.of("HIT"));

    failing = false;
    int before = handled.get();
    HttpResponse<String> recovered = app.get("/items/1");
    assertThat(recovered.body()).contains("\"id\":\"1\"").doesNotContain("error");
    assertThat(handled.get()).isEqualTo(before + 1);

    HttpResponse<String> again = app.get("/items/1");
    assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(again.body()).isEqualTo(recovered.body());
  }

  @Test
  void aViewRenderedByAnExceptionHandlerIsNotStored() throws Exception {
    // The view sets the locale, so the first answer teaches the route to vary by
    // Accept-Language; the later ones would be stored if nothing refused them.
    for (int i = 0; i < 3; i++) {
      int before = handled.get();
      HttpResponse<String> response = app.get("/pages/1");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("see elsewhere");
      assertThat(response.headers().firstValue("X-Cache")).isNotEqualTo(java.util.Optional.of("HIT"));
      assertThat(handled.get()).isEqualTo(before + 1);
    }
    assertThat(app.get("/pages/1").headers().firstValue("Cache-Status"))
        .hasValueSatisfying(s -> assertThat(s).contains("detail=refused"));
  }
}
