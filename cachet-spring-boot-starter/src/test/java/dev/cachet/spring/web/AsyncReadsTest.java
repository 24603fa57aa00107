package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import dev.cachet.testing.Poll;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;

/**
 * {@code @CacheResponse} on controller methods that answer asynchronously, over real Tomcat: the
 * response their result produces on another thread is stored whole and served as a synchronous
 * handler's is (hits, {@code ETag}, {@code 304}, {@code HEAD}), and concurrent misses run the
 * handler once, waiting for it without their threads. Every result is completed by the test
 * itself, never after a sleep.
 */
class AsyncReadsTest {
  private static final int CAP = 64 * 1024;

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Reads reads() {
      return new Reads();
    }

    /** Before Cachet's filter: counts the requests to /joined that wait for another's load, without a thread. */
    @Bean
    FilterRegistrationBean<Filter> parking() {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
        chain.doFilter(request, response);
        if (request.isAsyncStarted() && request.getAttribute(AsyncHerdTest.RAN) == null) {
          PARKED.incrementAndGet();
        }
      });
      registration.addUrlPatterns("/joined/*");
      registration.setOrder(-1);
      return registration;
    }
  }

  static final AtomicInteger PARKED = new AtomicInteger();

  @RestController
  static class Reads {
    final HeldResults held = new HeldResults();
    final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/future/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<Map<String, Object>> future(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }

    @GetMapping("/entity/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<ResponseEntity<Map<String, Object>>> entity(@PathVariable String id) {
      handled.incrementAndGet();
      return held.<Map<String, Object>>next().thenApply(body -> ResponseEntity.ok()
          .header("X-Kind", "entity").contentType(MediaType.APPLICATION_JSON).body(body));
    }

    @GetMapping("/deferred/{id}")
    @CacheResponse(ttl = "10m")
    DeferredResult<Map<String, Object>> deferred(@PathVariable String id) {
      handled.incrementAndGet();
      DeferredResult<Map<String, Object>> result = new DeferredResult<>();
      held.<Map<String, Object>>next().thenAccept(result::setResult);
      return result;
    }

    @GetMapping("/callable/{id}")
    @CacheResponse(ttl = "10m")
    Callable<Map<String, Object>> callable(@PathVariable String id) {
      handled.incrementAndGet();
      CompletableFuture<Map<String, Object>> value = held.next();
      return () -> value.get(10, TimeUnit.SECONDS); // on Spring's task executor
    }

    @GetMapping("/task/{id}")
    @CacheResponse(ttl = "10m")
    WebAsyncTask<Map<String, Object>> task(@PathVariable String id) {
      handled.incrementAndGet();
      CompletableFuture<Map<String, Object>> value = held.next();
      return new WebAsyncTask<>(10_000L, () -> value.get(10, TimeUnit.SECONDS));
    }

    @GetMapping(value = "/text/{id}", produces = MediaType.TEXT_PLAIN_VALUE)
    @CacheResponse(ttl = "10m")
    CompletableFuture<String> text(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }

    @GetMapping("/joined/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<Map<String, Object>> joined(@PathVariable String id, HttpServletRequest request) {
      handled.incrementAndGet();
      request.setAttribute(AsyncHerdTest.RAN, true);
      return held.next();
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class, "cachet.http.max-body-size=" + CAP + "B");

  private static Reads reads() {
    return app.context().getBean(Reads.class);
  }

  @BeforeEach
  void forgetOtherTestsResults() {
    reads().held.forgetHandedOut();
  }

  /** Sends {@code GET path}, waits until its handler took a result, and completes it with {@code value}. */
  private static HttpResponse<String> missCompletedWith(String path, Object value) throws Exception {
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", path);
    CompletableFuture<Object> result = reads().held.awaitHandedOut();
    assertThat(pending).as("answered before its result exists").isNotDone();
    result.complete(value);
    return pending.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"future", "entity", "deferred", "callable", "task"})
  void anAsynchronousResultIsStoredAndServedAsASynchronousOneIs(String kind) throws Exception {
    String path = "/" + kind + "/1";
    int before = reads().handled.get();
    HttpResponse<String> miss = missCompletedWith(path, Map.of("kind", kind));

    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.body()).isEqualTo("{\"kind\":\"" + kind + "\"}");
    assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(miss.headers().firstValue("Content-Type")).hasValue("application/json");
    String etag = miss.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> hit = app.get(path);
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(hit.headers().firstValue("ETag")).hasValue(etag);
    assertThat(hit.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(hit.headers().firstValue("Age")).isPresent();
    if (kind.equals("entity")) {
      assertThat(List.of(miss, hit)).allSatisfy(r -> assertThat(r.headers().firstValue("X-Kind")).hasValue("entity"));
    }

    HttpResponse<String> notModified = app.get(path, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("X-Cache")).hasValue("HIT");

    HttpResponse<String> head = app.send("HEAD", path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(miss.body().length()));

    assertThat(reads().handled.get()).isEqualTo(before + 1);
    assertThat(reads().held.noneHandedOut()).isTrue();
  }

  @Test
  void aHeadMissIsAnsweredWithoutABodyAndTheNextGetStillStores() throws Exception {
    CompletableFuture<HttpResponse<String>> head = app.sendAsync("HEAD", "/future/head");
    reads().held.awaitHandedOut().complete(Map.of("kind", "head"));
    HttpResponse<String> headMiss = head.get(10, TimeUnit.SECONDS);
    assertThat(headMiss.statusCode()).isEqualTo(200);
    assertThat(headMiss.body()).isEmpty();
    assertThat(headMiss.headers().firstValue("X-Cache")).hasValue("MISS");

    HttpResponse<String> miss = missCompletedWith("/future/head", Map.of("kind", "get"));
    assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(app.get("/future/head").body()).isEqualTo(miss.body()).isEqualTo("{\"kind\":\"get\"}");
  }

  @Test
  void aLargeBodyProducedLaterOnAnotherThreadIsStoredWhole() throws Exception {
    String body = text(48 * 1024); // several of Tomcat's buffers, under the cap
    HttpResponse<String> miss = missCompletedWith("/text/large", body);
    assertThat(miss.body()).isEqualTo(body);
    assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");

    HttpResponse<String> hit = app.get("/text/large");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(body);
  }

  @Test
  void aBodyOverTheCapProducedLaterPassesThroughWholeAndIsNotStored() throws Exception {
    String body = text(CAP + 40_000);
    int before = reads().handled.get();
    HttpResponse<String> first = missCompletedWith("/text/huge", body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(body);
    assertThat(first.headers().firstValue("Cache-Status")).hasValueSatisfying(s -> assertThat(s).contains("too-large"));

    HttpResponse<String> second = missCompletedWith("/text/huge", body);
    assertThat(second.body()).isEqualTo(body);
    assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(reads().handled.get()).isEqualTo(before + 2);
  }

  @Test
  void concurrentMissesOfAnAsynchronousRouteRunItsHandlerOnce() throws Exception {
    PARKED.set(0);
    int before = reads().handled.get();
    CompletableFuture<HttpResponse<String>> first = app.sendAsync("GET", "/joined/1");
    CompletableFuture<Object> result = reads().held.awaitHandedOut();

    CompletableFuture<HttpResponse<String>> second = app.sendAsync("GET", "/joined/1");
    Poll.until(Duration.ofSeconds(10), "the second request to wait for the first one's load, without its thread",
        () -> PARKED.get() == 1);
    assertThat(second).isNotDone();

    result.complete(Map.of("kind", "joined"));
    HttpResponse<String> a = first.get(10, TimeUnit.SECONDS);
    HttpResponse<String> b = second.get(10, TimeUnit.SECONDS);
    assertThat(a.body()).isEqualTo(b.body()).isEqualTo("{\"kind\":\"joined\"}");
    assertThat(b.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(b.headers().firstValue("Cache-Status")).hasValueSatisfying(s -> assertThat(s).contains("collapsed"));
    assertThat(reads().handled.get()).isEqualTo(before + 1);
    assertThat(reads().held.noneHandedOut()).isTrue();
  }

  /** {@code length} characters of text that no shifted or truncated copy matches. */
  static String text(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; b.length() < length; i++) {
      b.append(i).append(' ');
    }
    return b.substring(0, length);
  }
}
