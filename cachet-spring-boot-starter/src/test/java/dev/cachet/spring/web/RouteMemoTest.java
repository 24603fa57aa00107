package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Reads of a URI seen recently skip the handler lookup, over a real port, and only where the
 * lookup depends on nothing but the path: a handler with a condition on parameters or media
 * types is looked up on every request, and the remembered route's path variables are always
 * the request's own, also under concurrent requests to more URIs than the memo holds.
 */
class RouteMemoTest {
  static final AtomicInteger lookups = new AtomicInteger();
  static final AtomicInteger handled = new AtomicInteger();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    /** The annotated-controller mapping, counting its lookups (the resolver's and the dispatcher's). */
    @Bean
    WebMvcRegistrations countingLookups() {
      return new WebMvcRegistrations() {
        @Override
        public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
          return new RequestMappingHandlerMapping() {
            @Override
            protected HandlerMethod getHandlerInternal(HttpServletRequest request) throws Exception {
              lookups.incrementAndGet();
              return super.getHandlerInternal(request);
            }
          };
        }
      };
    }

    @Bean
    Items items() {
      return new Items();
    }
  }

  @RestController
  static class Items {
    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m", key = "item:{id}")
    String item(@PathVariable String id) {
      return "item " + id + " #" + handled.incrementAndGet();
    }

    @GetMapping(value = "/filtered", params = "mode=full")
    @CacheResponse(ttl = "1m")
    String full() {
      return "full #" + handled.incrementAndGet();
    }

    @GetMapping("/filtered")
    String uncached() {
      return "uncached #" + handled.incrementAndGet();
    }

    @GetMapping(value = "/negotiated", produces = "text/plain")
    @CacheResponse(ttl = "1m", varyByHeaders = "Accept")
    String text() {
      return "text #" + handled.incrementAndGet();
    }

    @GetMapping(value = "/negotiated", produces = "application/json")
    String json(@RequestHeader("Accept") String accept) {
      return "{\"json\":" + handled.incrementAndGet() + "}";
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  @BeforeEach
  void reset() {
    lookups.set(0);
    handled.set(0);
  }

  @Test
  void theMappingsOfThisApplicationAllowRemembering() {
    assertThat(app.context().getBean(HandlerRouteResolver.class).remembersLookups()).isTrue();
  }

  @Test
  void aHitOnARememberedUriIsNotLookedUpAgain() throws Exception {
    assertThat(app.get("/items/7").body()).isEqualTo("item 7 #1");
    assertThat(lookups.get()).isEqualTo(1); // the resolver's, handed on to the dispatcher

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> hit = app.get("/items/7");
      assertThat(hit.body()).isEqualTo("item 7 #1");
      assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    }
    assertThat(lookups.get()).isEqualTo(1);

    assertThat(app.get("/items/8").body()).isEqualTo("item 8 #2"); // another URI, another lookup
    assertThat(lookups.get()).isEqualTo(2);
  }

  @Test
  void aHandlerWithAParameterConditionIsLookedUpEveryTime() throws Exception {
    // Both handlers share the URI "/filtered": remembering by URI would give the second the
    // first one's route, so the uncached handler would be served from the cache.
    assertThat(app.get("/filtered?mode=full").body()).isEqualTo("full #1");
    assertThat(app.get("/filtered?mode=full").headers().firstValue("X-Cache")).hasValue("HIT");
    HttpResponse<String> plain = app.get("/filtered");
    assertThat(plain.body()).isEqualTo("uncached #2");
    assertThat(plain.headers().firstValue("X-Cache")).isEmpty();
    assertThat(app.get("/filtered").body()).isEqualTo("uncached #3");
    assertThat(app.get("/filtered?mode=full").body()).isEqualTo("full #1");
    assertThat(lookups.get()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aHandlerWithAMediaTypeConditionIsLookedUpEveryTime() throws Exception {
    assertThat(app.get("/negotiated", "Accept", "text/plain").body()).isEqualTo("text #1");
    assertThat(app.get("/negotiated", "Accept", "text/plain").headers().firstValue("X-Cache")).hasValue("HIT");
    HttpResponse<String> json = app.get("/negotiated", "Accept", "application/json");
    assertThat(json.body()).isEqualTo("{\"json\":2}");
    assertThat(json.headers().firstValue("X-Cache")).isEmpty();
    assertThat(app.get("/negotiated", "Accept", "application/json").body()).isEqualTo("{\"json\":3}");
  }

  @Test
  void concurrentReadsOfMoreUrisThanTheMemoHoldsGetTheirOwnPathVariables() throws Exception {
    int uris = RouteMemo.SLOTS * 2;
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 97;
        results.add(pool.submit(() -> {
          List<String> wrong = new ArrayList<>();
          for (int round = 0; round < 2; round++) {
            for (int i = 0; i < uris / 4; i++) {
              String id = "c" + ((offset + i * 7 + round * 13) % uris);
              String body = app.get("/items/" + id).body();
              if (!body.startsWith("item " + id + " #")) {
                wrong.add(id + " -> " + body);
              }
            }
          }
          return wrong;
        }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    // Some requests were hits on remembered URIs (fewer lookups than requests).
    assertThat(lookups.get()).isLessThan(threads * 2 * (uris / 4));
  }
}
