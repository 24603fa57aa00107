package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A request answered from the cache still goes through the application's Spring MVC
 * interceptors, which run with the handler and so after Cachet's filter: a tenant check in an
 * interceptor refuses a hit as it refuses a miss, and a request that joined another's load too.
 * Real Tomcat.
 */
class InterceptedHitsTest {
  static final List<String> calls = new CopyOnWriteArrayList<>();
  static final AtomicInteger runs = new AtomicInteger();
  static volatile CountDownLatch release = new CountDownLatch(0);
  static volatile CountDownLatch entered = new CountDownLatch(0);

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App implements WebMvcConfigurer {
    @Bean
    Api api() {
      return new Api();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
      registry.addInterceptor(new HandlerInterceptor() {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
          calls.add("pre " + request.getHeader("X-Tenant"));
          if (!"acme".equals(request.getHeader("X-Tenant"))) {
            response.sendError(403);
            return false;
          }
          if ("boom".equals(request.getHeader("X-Check"))) {
            throw new IllegalStateException("the check itself failed");
          }
          return true;
        }

        @Override
        public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
          calls.add("after " + request.getHeader("X-Tenant"));
        }
      }).addPathPatterns("/tenant/**");
    }
  }

  @RestController
  static class Api {
    @GetMapping("/tenant/{id}")
    @CacheResponse(ttl = "5m")
    Map<String, Object> tenant(@PathVariable String id) throws InterruptedException {
      entered.countDown();
      release.await(10, TimeUnit.SECONDS);
      return Map.of("tenant", id + "-secret", "run", runs.incrementAndGet());
    }

    @GetMapping("/open/{id}")
    @CacheResponse(ttl = "5m")
    Map<String, Object> open(@PathVariable String id) {
      return Map.of("open", id, "run", runs.incrementAndGet());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @BeforeEach
  void reset() {
    calls.clear();
    release = new CountDownLatch(0);
    entered = new CountDownLatch(0);
  }

  private static String xCache(HttpResponse<String> r) {
    return r.headers().firstValue("X-Cache").orElse("");
  }

  @Test
  void aHitGoesThroughTheInterceptorsThatRefuseItAsTheyRefuseAMiss() throws Exception {
    HttpResponse<String> acme = app.get("/tenant/1", "X-Tenant", "acme");
    assertThat(acme.statusCode()).isEqualTo(200);
    assertThat(xCache(acme)).isEqualTo("MISS");

    HttpResponse<String> again = app.get("/tenant/1", "X-Tenant", "acme");
    assertThat(xCache(again)).isEqualTo("HIT");
    assertThat(again.body()).isEqualTo(acme.body());
    // afterCompletion may run after the client has the response: wait for it before the next one.
    dev.cachet.testing.Poll.until(java.time.Duration.ofSeconds(10), "the hit's afterCompletion",
        () -> calls.size() >= 4);

    HttpResponse<String> evil = app.get("/tenant/1", "X-Tenant", "evil");
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(evil.body()).doesNotContain("secret");
    HttpResponse<String> anonymous = app.get("/tenant/1");
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).doesNotContain("secret");

    assertThat(calls).containsExactly("pre acme", "after acme", "pre acme", "after acme", "pre evil", "pre null");
  }

  @Test
  void aConditionalHitIsRefusedToo() throws Exception {
    String etag = app.get("/tenant/2", "X-Tenant", "acme").headers().firstValue("ETag").orElseThrow();
    assertThat(app.get("/tenant/2", "X-Tenant", "acme", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(app.get("/tenant/2", "X-Tenant", "evil", "If-None-Match", etag).statusCode()).isEqualTo(403);
  }

  @Test
  void aRequestThatJoinedAnothersLoadGoesThroughTheInterceptorsToo() throws Exception {
    release = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> acme = app.sendAsync("GET", "/tenant/3", "X-Tenant", "acme");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(app.sendAsync("GET", "/tenant/3", "X-Tenant", "evil"));
    }
    release.countDown();
    assertThat(acme.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> f : others) {
      HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).doesNotContain("secret");
    }
  }

  @Test
  void aCheckThatThrowsOnAHitIsHandledAsOnAMiss() throws Exception {
    app.get("/tenant/4", "X-Tenant", "acme");
    HttpResponse<String> failed = app.get("/tenant/4", "X-Tenant", "acme", "X-Check", "boom");
    HttpResponse<String> uncachedFailure = app.get("/tenant/5", "X-Tenant", "acme", "X-Check", "boom");
    assertThat(failed.statusCode()).isEqualTo(uncachedFailure.statusCode()).isEqualTo(500);
    assertThat(failed.body()).doesNotContain("secret");
  }

  @Test
  void routesWithoutInterceptorsAreServedAsBefore() throws Exception {
    app.get("/open/1");
    HttpResponse<String> hit = app.get("/open/1");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(calls).isEmpty();
  }
}
