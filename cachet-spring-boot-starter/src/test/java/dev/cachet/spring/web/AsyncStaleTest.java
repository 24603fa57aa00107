package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Stale-while-revalidate for {@code @CacheResponse} methods that answer asynchronously, over real
 * Tomcat, on a clock the test advances: while one request refreshes a stale entry with its own
 * run of the method (and gets the new response), every other request gets the stale one at once;
 * the refresh's response then replaces the entry. A failed refresh leaves the entry stale for the
 * next request to refresh (stale-if-error still applies), an overdue one is taken over, an
 * invalidation during one keeps its response from being served as fresh, and {@code HEAD} never
 * refreshes. Results are completed by the test, never after a sleep.
 */
class AsyncStaleTest {
  static final MutableClock CLOCK = new MutableClock();
  private static final int CONCURRENT = 8;

  static final class Unavailable extends RuntimeException {
    Unavailable() {
      super("the catalog is unavailable");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean(destroyMethod = "close")
    Cachet cachet() {
      return Cachet.builder().store(MemoryStore.builder().clock(CLOCK).build()).clock(CLOCK)
          .maxWait(Duration.ofSeconds(5)).build();
    }

    @Bean
    HttpCache cachetHttpCache(Cachet cachet) {
      return HttpCache.builder(cachet).clock(CLOCK).build();
    }

    @Bean
    Reads reads() {
      return new Reads();
    }

    @Bean
    Errors errors() {
      return new Errors();
    }

    /**
     * Before Cachet's filter: counts request dispatches that returned with their request waiting
     * for an asynchronous result, by which time Cachet has seen the load handed to a future.
     */
    @Bean
    FilterRegistrationBean<Filter> parking() {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
        chain.doFilter(request, response);
        if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()) {
          PARKED.release();
        }
      });
      registration.addUrlPatterns("/swr/*");
      registration.setOrder(-1);
      return registration;
    }
  }

  static final Semaphore PARKED = new Semaphore(0);

  @RestController
  static class Reads {
    final HeldResults held = new HeldResults();
    final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/swr/future/{id}")
    @CacheResponse(ttl = "10s", staleWhileRevalidate = "1m")
    CompletableFuture<Map<String, Object>> future(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }

    @PostMapping("/swr/future/{id}")
    Map<String, Object> write(@PathVariable String id) {
      return Map.of("written", id);
    }

    @GetMapping("/swr/deferred/{id}")
    @CacheResponse(ttl = "10s", staleWhileRevalidate = "1m")
    DeferredResult<Map<String, Object>> deferred(@PathVariable String id) {
      handled.incrementAndGet();
      DeferredResult<Map<String, Object>> result = new DeferredResult<>(60_000L);
      held.<Map<String, Object>>next().thenAccept(result::setResult);
      return result;
    }

    @GetMapping("/swr/callable/{id}")
    @CacheResponse(ttl = "10s", staleWhileRevalidate = "1m")
    Callable<Map<String, Object>> callable(@PathVariable String id) {
      handled.incrementAndGet();
      CompletableFuture<Map<String, Object>> value = held.next();
      return () -> value.get(30, TimeUnit.SECONDS); // on Spring's task executor
    }

    @GetMapping("/swr/tolerant/{id}")
    @CacheResponse(ttl = "10s", staleWhileRevalidate = "1m", staleIfError = "1m")
    CompletableFuture<Map<String, Object>> tolerant(@PathVariable String id) {
      handled.incrementAndGet();
      return held.next();
    }
  }

  @RestControllerAdvice
  static class Errors {
    @ExceptionHandler(Unavailable.class)
    ResponseEntity<Map<String, String>> unavailable(Unavailable e) {
      return ResponseEntity.status(503).body(Map.of("error", e.getMessage()));
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

  /** Sends {@code GET path}, waits until its handler took a result, and completes it with {@code value}. */
  private static HttpResponse<String> missCompletedWith(String path, Object value) throws Exception {
    CompletableFuture<HttpResponse<String>> pending = app.sendAsync("GET", path);
    reads().held.awaitHandedOut().complete(value);
    return pending.get(10, TimeUnit.SECONDS);
  }

  /** Stores {@code {"v":1}} under {@code path} (the route learns that it answers later), then lets it go stale. */
  private static void staleEntry(String path) throws Exception {
    assertThat(missCompletedWith(path, Map.of("v", 1)).headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(app.get(path).headers().firstValue("X-Cache")).hasValue("HIT");
    CLOCK.advance(Duration.ofSeconds(20)); // 10 s past the TTL, inside the window
  }

  private static String xCache(HttpResponse<String> r) {
    return r.headers().firstValue("X-Cache").orElse("none");
  }

  private static String cacheStatus(HttpResponse<String> r) {
    return r.headers().firstValue("Cache-Status").orElse("none");
  }

  @ParameterizedTest
  @ValueSource(strings = {"future", "deferred", "callable"})
  void oneOfConcurrentStaleRequestsRefreshesAndTheOthersGetTheStaleResponseAtOnce(String kind) throws Exception {
    String path = "/swr/" + kind + "/concurrent";
    staleEntry(path);
    int before = reads().handled.get();

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      responses.add(app.sendAsync("GET", path));
    }
    CompletableFuture<Object> refresh = reads().held.awaitHandedOut();
    Poll.until(Duration.ofSeconds(10), "every request but the refresher's to be answered",
        () -> responses.stream().filter(CompletableFuture::isDone).count() == CONCURRENT - 1);
    List<CompletableFuture<HttpResponse<String>>> refreshing = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> r : responses) {
      if (!r.isDone()) {
        refreshing.add(r);
        continue;
      }
      HttpResponse<String> stale = r.get();
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.body()).isEqualTo("{\"v\":1}");
      assertThat(xCache(stale)).isEqualTo("STALE");
      assertThat(cacheStatus(stale)).isEqualTo("Cachet; hit; ttl=-10; detail=stale");
    }
    assertThat(refreshing).hasSize(1);
    assertThat(reads().handled.get()).as("the handler ran for the refresh alone").isEqualTo(before + 1);
    assertThat(reads().held.noneHandedOut()).isTrue();

    refresh.complete(Map.of("v", 2));
    HttpResponse<String> refreshed = refreshing.get(0).get(10, TimeUnit.SECONDS);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(refreshed.body()).isEqualTo("{\"v\":2}");
    assertThat(xCache(refreshed)).isEqualTo("MISS");
    assertThat(cacheStatus(refreshed)).isEqualTo("Cachet; fwd=stale; fwd-status=200; stored");

    List<CompletableFuture<HttpResponse<String>>> after = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      after.add(app.sendAsync("GET", path));
    }
    for (CompletableFuture<HttpResponse<String>> r : after) {
      HttpResponse<String> hit = r.get(10, TimeUnit.SECONDS);
      assertThat(xCache(hit)).isEqualTo("HIT");
      assertThat(hit.body()).isEqualTo("{\"v\":2}");
    }
    assertThat(reads().handled.get()).isEqualTo(before + 1);
  }

  @Test
  void aRefreshThatFailsLeavesTheStaleEntryForTheNextRequestToRefresh() throws Exception {
    String path = "/swr/future/failing";
    staleEntry(path);
    CompletableFuture<HttpResponse<String>> refresher = app.sendAsync("GET", path);
    CompletableFuture<Object> refresh = reads().held.awaitHandedOut();
    assertThat(xCache(app.get(path))).isEqualTo("STALE"); // while it runs
    refresh.completeExceptionally(new Unavailable());
    HttpResponse<String> failed = refresher.get(10, TimeUnit.SECONDS);
    // No stale-if-error on this route, but the entry is inside stale-while-revalidate: as after a
    // failed background refresh, the stale response answers (a 503 here would be a regression).
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(xCache(failed)).isEqualTo("STALE");

    HttpResponse<String> again = missCompletedWith(path, Map.of("v", 2));
    assertThat(again.body()).isEqualTo("{\"v\":2}");
    assertThat(cacheStatus(again)).contains("fwd=stale");
    assertThat(app.get(path).body()).isEqualTo("{\"v\":2}");
  }

  @Test
  void aRefreshThatFailsInsideTheStaleIfErrorWindowIsAnsweredStale() throws Exception {
    String path = "/swr/tolerant/failing";
    staleEntry(path);
    CompletableFuture<HttpResponse<String>> refresher = app.sendAsync("GET", path);
    reads().held.awaitHandedOut().completeExceptionally(new Unavailable());
    HttpResponse<String> stale = refresher.get(10, TimeUnit.SECONDS);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("{\"v\":1}");
    assertThat(xCache(stale)).isEqualTo("STALE");
    assertThat(cacheStatus(stale)).contains("detail=stale-if-error");

    assertThat(missCompletedWith(path, Map.of("v", 2)).body()).as("the next request refreshes again")
        .isEqualTo("{\"v\":2}");
  }

  @Test
  void aRefreshOlderThanMaxWaitIsTakenOverByTheNextStaleRequest() throws Exception {
    String path = "/swr/future/overdue";
    staleEntry(path);
    PARKED.drainPermits();
    CompletableFuture<HttpResponse<String>> hung = app.sendAsync("GET", path);
    CompletableFuture<Object> hungResult = reads().held.awaitHandedOut();
    // Only a load handed to a future can be overdue (a thread still running it is only slow):
    // wait for its dispatch to return, which follows the handler taking its result.
    assertThat(PARKED.tryAcquire(10, TimeUnit.SECONDS)).as("the refresh's dispatch returned").isTrue();
    CLOCK.advance(Duration.ofSeconds(4));
    assertThat(xCache(app.get(path))).isEqualTo("STALE");

    CLOCK.advance(Duration.ofSeconds(1)); // max-wait: 5 s
    HttpResponse<String> takenOver = missCompletedWith(path, Map.of("v", 2));
    assertThat(takenOver.body()).isEqualTo("{\"v\":2}");
    assertThat(cacheStatus(takenOver)).isEqualTo("Cachet; fwd=stale; fwd-status=200; stored");
    hungResult.complete(Map.of("v", "late"));
    assertThat(hung.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"v\":\"late\"}"); // its client asked first
    HttpResponse<String> hit = app.get(path);
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).as("the abandoned refresh's response is never stored").isEqualTo("{\"v\":2}");
  }

  @Test
  void anInvalidationDuringTheRefreshKeepsItsResponseFromBeingServedAsFresh() throws Exception {
    String path = "/swr/future/invalidated";
    staleEntry(path);
    int before = reads().handled.get();
    CompletableFuture<HttpResponse<String>> refresher = app.sendAsync("GET", path);
    CompletableFuture<Object> refresh = reads().held.awaitHandedOut();
    assertThat(app.send("POST", path).statusCode()).isEqualTo(200); // invalidates the path
    refresh.complete(Map.of("v", 2));
    assertThat(refresher.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"v\":2}"); // it asked before

    HttpResponse<String> next = missCompletedWith(path, Map.of("v", 3));
    assertThat(xCache(next)).isEqualTo("MISS");
    assertThat(next.body()).isEqualTo("{\"v\":3}");
    assertThat(reads().handled.get()).isEqualTo(before + 2);
  }

  @Test
  void aHeadRequestGetsTheStaleResponseWithoutRunningTheHandler() throws Exception {
    String path = "/swr/future/head";
    staleEntry(path);
    int before = reads().handled.get();
    HttpResponse<String> head = app.send("HEAD", path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(xCache(head)).isEqualTo("STALE");
    assertThat(reads().handled.get()).isEqualTo(before);
    assertThat(reads().held.noneHandedOut()).isTrue();

    assertThat(missCompletedWith(path, Map.of("v", 2)).body()).isEqualTo("{\"v\":2}");
  }

  @Test
  void aNoCacheRequestOfAStaleEntryLoadsAndStoresAsAMissDoes() throws Exception {
    String path = "/swr/future/no-cache";
    staleEntry(path);
    CompletableFuture<HttpResponse<String>> skipping = app.sendAsync("GET", path, "Cache-Control", "no-cache");
    reads().held.awaitHandedOut().complete(Map.of("v", 2));
    HttpResponse<String> fresh = skipping.get(10, TimeUnit.SECONDS);
    assertThat(xCache(fresh)).isEqualTo("SKIP");
    assertThat(fresh.body()).isEqualTo("{\"v\":2}");
    assertThat(xCache(app.get(path))).isEqualTo("HIT");
  }
}
