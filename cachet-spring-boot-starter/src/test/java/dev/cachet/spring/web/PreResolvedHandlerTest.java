package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dispatcher reuses the route resolver's handler lookup: over a real port, each request is
 * looked up once, runs its interceptors once, and gets exactly the handler the dispatcher would
 * have chosen itself (router functions first, error dispatches their own).
 */
class PreResolvedHandlerTest {
  static final AtomicInteger lookups = new AtomicInteger();
  static final AtomicInteger interceptions = new AtomicInteger();
  static final AtomicInteger handled = new AtomicInteger();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App implements WebMvcConfigurer {
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
      registry.addInterceptor(new HandlerInterceptor() {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
          interceptions.incrementAndGet();
          return true;
        }
      });
    }

    /** Consulted before every other mapping but never answers: counts lookups. */
    @Bean
    HandlerMapping countingMapping() {
      return new CountingMapping();
    }

    /** Router functions come before annotated controllers in the dispatcher. */
    @Bean
    RouterFunction<ServerResponse> routed() {
      return RouterFunctions.route().GET("/items/routed", r -> ServerResponse.ok().body("from the router")).build();
    }

    @Bean
    Items items() {
      return new Items();
    }
  }

  static final class CountingMapping implements HandlerMapping, Ordered {
    @Override
    public @Nullable HandlerExecutionChain getHandler(HttpServletRequest request) {
      lookups.incrementAndGet();
      return null;
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE + 10;
    }
  }

  @RestController
  static class Items {
    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m")
    String item(@PathVariable String id) {
      return "item " + id + " #" + handled.incrementAndGet();
    }

    @PostMapping("/items/{id}")
    String update(@PathVariable String id) {
      handled.incrementAndGet();
      return "updated " + id;
    }

    @GetMapping("/items/{id}/boom")
    @CacheResponse(ttl = "1m")
    String boom(@PathVariable String id) {
      throw new IllegalStateException("boom " + id);
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @BeforeEach
  void reset() {
    lookups.set(0);
    interceptions.set(0);
    handled.set(0);
  }

  @Test
  void aMissIsLookedUpOnceAndItsPathVariablesAndInterceptorsStillWork() throws Exception {
    HttpResponse<String> miss = app.send("GET", "/items/7");
    assertThat(miss.body()).isEqualTo("item 7 #1");
    assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(interceptions.get()).isEqualTo(1);

    HttpResponse<String> hit = app.send("GET", "/items/7");
    assertThat(hit.body()).isEqualTo("item 7 #1");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(lookups.get()).isEqualTo(2);
    // A hit never reaches the dispatcher (the handler ran once), but its interceptors still run.
    assertThat(handled.get()).isEqualTo(1);
    assertThat(interceptions.get()).isEqualTo(2);
  }

  @Test
  void aMappingOfAnotherKindBeforeTheControllersMeansEveryReadIsLookedUp() throws Exception {
    // CountingMapping could answer any request by anything it likes: nothing is remembered.
    assertThat(app.context().getBean(HandlerRouteResolver.class).remembersLookups()).isFalse();
    app.send("GET", "/items/6");
    for (int i = 1; i <= 3; i++) {
      assertThat(app.send("GET", "/items/6").headers().firstValue("X-Cache")).hasValue("HIT");
      assertThat(lookups.get()).isEqualTo(1 + i);
    }
  }

  @Test
  void aWriteIsLookedUpOnceAndStillInvalidates() throws Exception {
    app.send("GET", "/items/8");
    reset();
    HttpResponse<String> write = app.send("POST", "/items/8");
    assertThat(write.body()).isEqualTo("updated 8");
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(interceptions.get()).isEqualTo(1);
    assertThat(app.send("GET", "/items/8").headers().firstValue("X-Cache")).hasValue("MISS");
  }

  @Test
  void theDispatchersOwnOrderDecidesWhichHandlerRuns() throws Exception {
    // "/items/{id}" would match too, but the router function comes first: not cached.
    HttpResponse<String> routed = app.send("GET", "/items/routed");
    assertThat(routed.body()).isEqualTo("from the router");
    assertThat(routed.headers().firstValue("X-Cache")).isEmpty();
    assertThat(app.send("GET", "/items/routed").body()).isEqualTo("from the router");
    assertThat(handled.get()).isZero();
  }

  @Test
  void anErrorDispatchFindsTheErrorHandlerNotThePreResolvedOne() throws Exception {
    HttpResponse<String> failed = app.send("GET", "/items/9/boom");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("\"status\":500").contains("/items/9/boom");
  }
}
