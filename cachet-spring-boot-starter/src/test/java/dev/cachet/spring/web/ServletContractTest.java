package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a Spring handler does to the response on a cached route behaves as on Tomcat's own
 * response: sessions and cookies, resets, locales, asynchronous writes. Tomcat on a real port.
 */
class ServletContractTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Pages pages() {
      return new Pages();
    }
  }

  @RestController
  static class Pages {
    final AtomicInteger version = new AtomicInteger();
    volatile CountDownLatch finish = new CountDownLatch(0);

    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m")
    String item(@PathVariable String id) {
      return "item " + id + " v" + version.get();
    }

    @PutMapping("/items/{id}")
    CompletableFuture<String> put(@PathVariable String id) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          finish.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "updated " + id + " to v" + version.incrementAndGet();
      });
    }

    @GetMapping("/welcome")
    @CacheResponse(ttl = "1m")
    String welcome(HttpServletRequest request, HttpServletResponse response) {
      request.getSession().setAttribute("visited", true);
      response.addCookie(new Cookie("pref", "dark"));
      return "<a href=\"" + response.encodeURL("/next") + "\">next</a> session=" + request.getSession().getId();
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("X-Cache").orElse("none");
  }

  @Test
  void aResponseThatCreatesASessionOrSetsACookieIsNeverReplayed() throws Exception {
    HttpResponse<String> first = app.get("/welcome");
    HttpResponse<String> second = app.get("/welcome");
    assertThat(first.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="))
        .anySatisfy(c -> assertThat(c).startsWith("pref=dark"));
    assertThat(xCache(second)).isEqualTo("MISS");
    assertThat(second.body()).isNotEqualTo(first.body());
    assertThat(second.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="))
        .anySatisfy(c -> assertThat(c).startsWith("pref=dark"));
  }

  @Test
  void anAsynchronousWriteInvalidatesWhenItsResultIsWrittenNotWhenTheFilterReturns() throws Exception {
    Pages pages = app.context().getBean(Pages.class);
    pages.finish = new CountDownLatch(1);
    app.get("/items/5");
    assertThat(xCache(app.get("/items/5"))).isEqualTo("HIT");
    HttpClient client = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> put = client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/items/5"))
            .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    // While the write runs, a read is served the old entry (before the fix, the write had
    // already invalidated and this read stored the old version again, for good).
    HttpResponse<String> during = app.get("/items/5");
    assertThat(during.body()).isEqualTo("item 5 v0");
    pages.finish.countDown();
    HttpResponse<String> written = put.get(10, TimeUnit.SECONDS);
    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).isEqualTo("updated 5 to v1");
    assertThat(app.get("/items/5").body()).isEqualTo("item 5 v1");
  }
}
