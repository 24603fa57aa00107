package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.InvalidateCache;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code @InvalidateCache} writes that answer asynchronously, over real Tomcat: the automatic
 * REST-hierarchy invalidation and the declared tags apply once the result is a {@code 2xx} and
 * before the client has the response, never when the handler returns its future (the write has
 * not happened yet, and a read meanwhile would store the old data again), and not at all when the
 * result fails or is not a {@code 2xx}.
 */
class AsyncWritesTest {
  static final AtomicInteger version = new AtomicInteger();
  /** The real response of the write in progress, seen before Cachet's filter. */
  static final AtomicReference<HttpServletResponse> writing = new AtomicReference<>();
  /** Per tag invalidation during a write: whether its response was already committed then. */
  static final List<Boolean> committedWhenInvalidated = new CopyOnWriteArrayList<>();
  /** The writes whose handler returned and whose request went asynchronous. */
  static final BlockingQueue<String> wentAsync = new LinkedBlockingQueue<>();

  static final class Conflict extends RuntimeException {
    Conflict() {
      super("conflict");
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

    /** A memory cache that notes, at each tag invalidation, whether the write's response is committed. */
    @Bean
    Cachet cachet() {
      Cachet real = Cachet.builder().build();
      return (Cachet) Proxy.newProxyInstance(Cachet.class.getClassLoader(), new Class<?>[] {Cachet.class},
          (proxy, method, args) -> {
            HttpServletResponse response = writing.get();
            if (method.getName().equals("invalidateTags") && response != null) {
              committedWhenInvalidated.add(response.isCommitted());
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Bean
    FilterRegistrationBean<Filter> writes() {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
        String method = ((HttpServletRequest) request).getMethod();
        if (!method.equals("GET")) {
          writing.set((HttpServletResponse) response);
        }
        chain.doFilter(request, response);
        if (request.isAsyncStarted()) {
          wentAsync.add(method);
        }
      });
      registration.setOrder(-1);
      return registration;
    }
  }

  /** The writes' results; static, since {@code @InvalidateCache} proxies the controller. */
  static final HeldResults held = new HeldResults();

  @RestController
  static class Items {

    @GetMapping("/spaces/{space}/items/{id}")
    @CacheResponse(ttl = "10m")
    Map<String, Object> item(@PathVariable String space, @PathVariable String id) {
      return Map.of("id", id, "v", version.get());
    }

    /** Outside the written path: only the declared tag invalidates it. */
    @GetMapping("/summaries/{id}")
    @CacheResponse(ttl = "10m", tags = "item:{id}")
    Map<String, Object> summary(@PathVariable String id) {
      return Map.of("summary", id, "v", version.get());
    }

    @PutMapping("/spaces/{space}/items/{id}")
    @InvalidateCache(tags = "item:{id}")
    CompletableFuture<Map<String, Object>> put(@PathVariable String space, @PathVariable String id) {
      return held.next();
    }

    @PostMapping("/spaces/{space}/items/{id}")
    @InvalidateCache(tags = "item:{id}")
    DeferredResult<Map<String, Object>> post(@PathVariable String space, @PathVariable String id) {
      DeferredResult<Map<String, Object>> result = new DeferredResult<>();
      held.<Map<String, Object>>next().whenComplete((value, failure) -> {
        if (failure != null) {
          result.setErrorResult(failure);
        } else {
          result.setResult(value);
        }
      });
      return result;
    }

    @PatchMapping("/spaces/{space}/items/{id}")
    @InvalidateCache(tags = "item:{id}")
    CompletableFuture<ResponseEntity<Map<String, Object>>> patch(@PathVariable String space, @PathVariable String id) {
      return held.next();
    }

    @DeleteMapping("/spaces/{space}/items/{id}")
    @InvalidateCache(tags = "item:{id}")
    CompletableFuture<ResponseEntity<Void>> delete(@PathVariable String space, @PathVariable String id) {
      return held.next();
    }

    /** No body, and nothing written or flushed: Spring only sets the status. */
    @DeleteMapping("/spaces/{space}/items/{id}/archive")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @InvalidateCache(tags = "item:{id}")
    CompletableFuture<Void> archive(@PathVariable String space, @PathVariable String id) {
      return held.next();
    }
  }

  @RestControllerAdvice
  static class Errors {
    @ExceptionHandler(Conflict.class)
    ResponseEntity<Map<String, String>> conflict(Conflict e) {
      return ResponseEntity.status(409).body(Map.of("error", e.getMessage()));
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @BeforeEach
  void forgetOtherTestsResults() {
    held.forgetHandedOut();
    wentAsync.clear();
  }

  /**
   * Sends the write {@code method path} and returns once its handler returned its result, which
   * the test then completes: what the handler returned has been seen by everything that wraps
   * it, and its request went asynchronous.
   */
  private static Write write(String method, String path) throws Exception {
    CompletableFuture<HttpResponse<String>> response = app.sendAsync(method, path);
    CompletableFuture<Object> result = held.awaitHandedOut();
    assertThat(wentAsync.poll(10, TimeUnit.SECONDS)).isEqualTo(method);
    return new Write(response, result);
  }

  private record Write(CompletableFuture<HttpResponse<String>> response, CompletableFuture<Object> result) {
    HttpResponse<String> answer() throws Exception {
      return response.get(10, TimeUnit.SECONDS);
    }
  }

  /** Reads item {@code id} and its summary twice, so that both are stored; returns their bodies. */
  private static List<String> cache(String id) throws Exception {
    String item = app.get("/spaces/1/items/" + id).body();
    String summary = app.get("/summaries/" + id).body();
    assertStillStored(id, item, summary);
    return List.of(item, summary);
  }

  private static void assertStillStored(String id, String item, String summary) throws Exception {
    HttpResponse<String> itemRead = app.get("/spaces/1/items/" + id);
    HttpResponse<String> summaryRead = app.get("/summaries/" + id);
    assertThat(itemRead.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(itemRead.body()).isEqualTo(item);
    assertThat(summaryRead.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(summaryRead.body()).isEqualTo(summary);
  }

  private static void assertInvalidated(String id) throws Exception {
    HttpResponse<String> itemRead = app.get("/spaces/1/items/" + id);
    HttpResponse<String> summaryRead = app.get("/summaries/" + id);
    assertThat(itemRead.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(itemRead.body()).contains("\"v\":" + version.get());
    assertThat(summaryRead.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(summaryRead.body()).contains("\"v\":" + version.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "POST"})
  void aSuccessfulAsynchronousWriteInvalidatesOnceItsResultArrivesNotWhenItsHandlerReturns(String method)
      throws Exception {
    String id = method.toLowerCase();
    List<String> before = cache(id);
    committedWhenInvalidated.clear();
    Write write = write(method, "/spaces/1/items/" + id);

    assertStillStored(id, before.get(0), before.get(1)); // the handler returned; the write is under way
    assertThat(committedWhenInvalidated).isEmpty();

    version.incrementAndGet(); // the write happens, then its result arrives
    write.result().complete(Map.of("saved", id));
    HttpResponse<String> written = write.answer();
    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).isEqualTo("{\"saved\":\"" + id + "\"}");
    assertThat(committedWhenInvalidated).isNotEmpty().containsOnly(false);
    assertInvalidated(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "POST"})
  void anAsynchronousWriteThatFailsInvalidatesNothing(String method) throws Exception {
    String id = "failed-" + method.toLowerCase();
    List<String> before = cache(id);
    Write write = write(method, "/spaces/1/items/" + id);
    write.result().completeExceptionally(new Conflict());
    assertThat(write.answer().statusCode()).isEqualTo(409);
    assertStillStored(id, before.get(0), before.get(1));
  }

  @Test
  void anAsynchronousWriteWhoseResultIsNot2xxInvalidatesNothing() throws Exception {
    List<String> before = cache("refused");
    Write write = write("PATCH", "/spaces/1/items/refused");
    write.result().complete(ResponseEntity.status(409).body(Map.of("error", "stale version")));
    assertThat(write.answer().statusCode()).isEqualTo(409);
    assertStillStored("refused", before.get(0), before.get(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/archive"})
  void anAsynchronousWriteWithoutBodyInvalidatesBeforeItsResponseIsCommitted(String action) throws Exception {
    String id = "deleted" + action.replace('/', '-');
    List<String> before = cache(id);
    committedWhenInvalidated.clear();
    Write write = write("DELETE", "/spaces/1/items/" + id + action);
    assertStillStored(id, before.get(0), before.get(1));

    version.incrementAndGet();
    write.result().complete(action.isEmpty() ? ResponseEntity.noContent().build() : null);
    assertThat(write.answer().statusCode()).isEqualTo(204);
    assertThat(committedWhenInvalidated).isNotEmpty().containsOnly(false);
    assertInvalidated(id);
  }
}
