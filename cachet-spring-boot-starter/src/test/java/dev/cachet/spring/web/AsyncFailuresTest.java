package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * An asynchronous {@code @CacheResponse} handler whose result fails is never stored, over real
 * Tomcat: a future completed exceptionally (answered by an {@code @ExceptionHandler}, even with
 * 200, or by Spring Boot's error handling), a {@code DeferredResult} that times out, a 500 the
 * result itself carries. The next request runs the handler again, and its success is stored.
 */
class AsyncFailuresTest {

  static final class Unavailable extends RuntimeException {
    Unavailable() {
      super("the catalog is unavailable");
    }
  }

  static final class Mistake extends RuntimeException {
    Mistake() {
      super("answered with 200");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Reads reads() {
      return new Reads();
    }

    @Bean
    Errors errors() {
      return new Errors();
    }
  }

  @RestController
  static class Reads {
    final HeldResults held = new HeldResults();
    final AtomicInteger handled = new AtomicInteger();

    /** 503 may be stored: only that its handler failed keeps an exception handler's 503 out. */
    @GetMapping("/future/{id}")
    @CacheResponse(ttl = "10m", statuses = {200, 503})
    CompletableFuture<Map<String, Object>> future(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }

    @GetMapping("/entity/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<ResponseEntity<Map<String, Object>>> entity(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }

    /** Times out after 100 ms unless the test completes its result first. */
    @GetMapping("/deferred/{id}")
    @CacheResponse(ttl = "10m", statuses = {200, 503})
    DeferredResult<Map<String, Object>> deferred(@PathVariable String id) {
      handled.incrementAndGet();
      DeferredResult<Map<String, Object>> result = new DeferredResult<>(100L);
      held.<Map<String, Object>>next().thenAccept(result::setResult);
      return result;
    }
  }

  @RestControllerAdvice
  static class Errors {
    @ExceptionHandler(Unavailable.class)
    ResponseEntity<Map<String, String>> unavailable(Unavailable e) {
      return ResponseEntity.status(503).body(Map.of("error", e.getMessage()));
    }

    /** The usual mistake: an error body with the default status, 200. */
    @ExceptionHandler(Mistake.class)
    Map<String, String> mistake(Mistake e) {
      return Map.of("error", e.getMessage());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private static Reads reads() {
    return app.context().getBean(Reads.class);
  }

  @BeforeEach
  void forgetOtherTestsResults() {
    reads().held.forgetHandedOut();
  }

  /** Asserts that {@code path} is not stored: its next request runs the handler, whose success is stored. */
  private static void nextRequestRunsTheHandlerAndItsSuccessIsStored(String path, Object success, String body)
      throws Exception {
    int before = reads().handled.get();
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", path);
    reads().held.awaitHandedOut().complete(success);
    HttpResponse<String> recovered = pending.get(10, TimeUnit.SECONDS);
    assertThat(recovered.statusCode()).isEqualTo(200);
    assertThat(recovered.body()).isEqualTo(body);
    assertThat(recovered.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(reads().handled.get()).isEqualTo(before + 1);

    HttpResponse<String> hit = app.get(path);
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(body);
  }

  @ParameterizedTest
  @CsvSource({"unavailable,503", "mistake,200", "unhandled,500"})
  void aFutureThatCompletesExceptionallyIsNotStored(String failure, int status) throws Exception {
    String path = "/future/" + failure;
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", path);
    RuntimeException thrown = switch (failure) {
      case "unavailable" -> new Unavailable();
      case "mistake" -> new Mistake();
      default -> new IllegalStateException("no handler for this one");
    };
    reads().held.awaitHandedOut().completeExceptionally(thrown);
    HttpResponse<String> failed = pending.get(10, TimeUnit.SECONDS);
    assertThat(failed.statusCode()).isEqualTo(status);
    assertThat(failed.body()).contains(failure.equals("unhandled") ? "Internal Server Error" : "\"error\"");
    assertThat(failed.headers().firstValue("X-Cache")).isNotEqualTo(Optional.of("HIT"));

    nextRequestRunsTheHandlerAndItsSuccessIsStored(path, Map.of("ok", true), "{\"ok\":true}");
  }

  @Test
  void aResultThatCarriesA500IsNotStored() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", "/entity/500");
    reads().held.awaitHandedOut().complete(ResponseEntity.status(500).body(Map.of("error", "broken")));
    HttpResponse<String> failed = pending.get(10, TimeUnit.SECONDS);
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo("{\"error\":\"broken\"}");

    nextRequestRunsTheHandlerAndItsSuccessIsStored(
        "/entity/500", ResponseEntity.ok(Map.of("ok", true)), "{\"ok\":true}");
  }

  @Test
  void aDeferredResultThatTimesOutIsNotStored() throws Exception {
    int before = reads().handled.get();
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", "/deferred/late");
    CompletableFuture<Object> neverCompleted = reads().held.awaitHandedOut();
    HttpResponse<String> timedOut = pending.get(10, TimeUnit.SECONDS);
    assertThat(timedOut.statusCode()).isEqualTo(503);
    assertThat(timedOut.headers().firstValue("X-Cache")).isNotEqualTo(Optional.of("HIT"));
    assertThat(reads().handled.get()).isEqualTo(before + 1);
    neverCompleted.complete(Map.of("late", true)); // after its time-out: goes nowhere

    nextRequestRunsTheHandlerAndItsSuccessIsStored("/deferred/late", Map.of("ok", true), "{\"ok\":true}");
  }
}
