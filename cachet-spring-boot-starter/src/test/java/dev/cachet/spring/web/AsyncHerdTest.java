package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import dev.cachet.testing.Poll;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A herd of concurrent misses of one key of an asynchronous {@code @CacheResponse} method, ten
 * times larger than Tomcat's thread pool (4 threads), with {@code cachet.max-wait} at a minute:
 * the requests that wait for the first one's load hold no thread (their request dispatch returns,
 * asynchronous), so the dispatch that finishes that load finds a thread, the handler runs once,
 * and every request is answered from its result, in about the handler's own time.
 */
class AsyncHerdTest {
  private static final int HERD = 40;

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Reads reads() {
      return new Reads();
    }

    /** Before Cachet's filter: counts request dispatches that leave their request waiting. */
    @Bean
    FilterRegistrationBean<Filter> parking() {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
        chain.doFilter(request, response);
        if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()
            && request.getAttribute(RAN) == null) {
          PARKED.incrementAndGet();
        }
      });
      registration.addUrlPatterns("/herd/*");
      registration.setOrder(-1);
      return registration;
    }

    /**
     * After Cachet's filter, as an application's filters usually are: a {@code OncePerRequestFilter}
     * (registered for every dispatch type, skipping {@code ASYNC} ones) that marks the response.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> marking() {
      FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
          response.setHeader("X-Filtered", request.getRequestURI());
          chain.doFilter(request, response);
        }
      });
      registration.addUrlPatterns("/herd/private/*");
      registration.setOrder(10);
      return registration;
    }
  }

  static final String RAN = "handler ran";
  static final AtomicInteger PARKED = new AtomicInteger();

  @RestController
  static class Reads {
    final HeldResults held = new HeldResults();
    final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/herd/future/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<Map<String, Object>> future(@PathVariable String id, HttpServletRequest request) {
      handled.incrementAndGet();
      request.setAttribute(RAN, true);
      return held.next();
    }

    /** Answers {@code Cache-Control: private}: its response is never shared with a request that waited. */
    @GetMapping("/herd/private/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<ResponseEntity<String>> personal(@PathVariable String id, HttpServletRequest request) {
      handled.incrementAndGet();
      request.setAttribute(RAN, true);
      return held.<String>next().thenApply(body -> ResponseEntity.ok().cacheControl(CacheControl.empty().cachePrivate())
          .contentType(MediaType.TEXT_PLAIN).body(body));
    }

    @GetMapping("/herd/deferred/{id}")
    @CacheResponse(ttl = "10m")
    DeferredResult<Map<String, Object>> deferred(@PathVariable String id, HttpServletRequest request) {
      handled.incrementAndGet();
      request.setAttribute(RAN, true);
      DeferredResult<Map<String, Object>> result = new DeferredResult<>(60_000L);
      held.<Map<String, Object>>next().thenAccept(result::setResult);
      return result;
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class,
      "server.tomcat.threads.max=4", "server.tomcat.threads.min-spare=1", "cachet.max-wait=60s");

  private static Reads reads() {
    return app.context().getBean(Reads.class);
  }

  @BeforeEach
  void reset() {
    reads().held.forgetHandedOut();
    PARKED.set(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"future", "deferred"})
  void aHerdLargerThanThePoolIsAnsweredByOneHandlerRunInTheHandlersTime(String kind) throws Exception {
    String path = "/herd/" + kind + "/1";
    int before = reads().handled.get();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < HERD; i++) {
      responses.add(app.client().sendAsync(request(path), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture<Object> result = reads().held.awaitHandedOut();
    Poll.until(Duration.ofSeconds(20), "every other request to wait without its thread",
        () -> PARKED.get() == HERD - 1);
    assertThat(responses).noneMatch(CompletableFuture::isDone);

    long answering = System.nanoTime();
    result.complete(Map.of("kind", kind));
    int collapsed = 0;
    for (CompletableFuture<HttpResponse<String>> pending : responses) {
      HttpResponse<String> answer = pending.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"kind\":\"" + kind + "\"}");
      assertThat(answer.headers().firstValue("X-Cache")).hasValue("MISS");
      if (answer.headers().firstValue("Cache-Status").orElse("").contains("collapsed")) {
        collapsed++;
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - answering)).as("bounded by the handler, not max-wait")
        .isLessThan(Duration.ofSeconds(20));
    assertThat(collapsed).isEqualTo(HERD - 1);
    assertThat(reads().handled.get()).isEqualTo(before + 1);
    assertThat(reads().held.noneHandedOut()).isTrue();
    assertThat(app.get(path).headers().firstValue("X-Cache")).hasValue("HIT");
  }

  @org.junit.jupiter.api.Test
  void aWaiterWhoseLeadersResponseIsPrivateRunsItsOwnHandlerWhereItIsResumed() throws Exception {
    int before = reads().handled.get();
    CompletableFuture<HttpResponse<String>> first = app.sendAsync("GET", "/herd/private/1");
    CompletableFuture<Object> firstResult = reads().held.awaitHandedOut();
    CompletableFuture<HttpResponse<String>> second = app.sendAsync("GET", "/herd/private/1");
    Poll.until(Duration.ofSeconds(10), "the second request to wait without its thread", () -> PARKED.get() == 1);

    firstResult.complete("first's own");
    assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("first's own");
    // Not shared: the second runs its handler, in the dispatch that resumed it, as a new request,
    // through the filters after Cachet's as its first dispatch would have.
    reads().held.awaitHandedOut().complete("second's own");
    HttpResponse<String> own = second.get(10, TimeUnit.SECONDS);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).isEqualTo("second's own");
    assertThat(own.headers().firstValue("Cache-Control")).hasValue("private");
    assertThat(own.headers().firstValue("X-Filtered")).hasValue("/herd/private/1");
    assertThat(reads().handled.get()).isEqualTo(before + 2);
  }

  /** A request that waits as long as the test may: 30 s, past the test's own deadlines. */
  private static java.net.http.HttpRequest request(String path) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + path))
        .timeout(Duration.ofSeconds(30)).GET().build();
  }
}
