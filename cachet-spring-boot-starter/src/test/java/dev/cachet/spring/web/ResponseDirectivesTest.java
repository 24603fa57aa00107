package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cached handler's own {@code Cache-Control}, over a real port: a response that may not be
 * reused without revalidation ({@code no-cache}) or that a shared cache must treat as stale at once
 * ({@code s-maxage=0}, {@code max-age=0} alone) is never stored, since Cachet does not revalidate.
 */
class ResponseDirectivesTest {
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
    private final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/page")
    @CacheResponse(ttl = "1m")
    ResponseEntity<String> page(@RequestParam String cc) {
      return ResponseEntity.ok().header("Cache-Control", cc).body("page #" + handled.incrementAndGet());
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private HttpResponse<String> page(String cacheControl) throws Exception {
    return app.get("/page?cc=" + java.net.URLEncoder.encode(cacheControl, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void noCacheAndZeroLifetimesAreNeverStored() throws Exception {
    for (String cc : new String[] {"no-cache", "no-cache=\"Set-Cookie\"", "public, s-maxage=0", "max-age=0"}) {
      HttpResponse<String> first = page(cc);
      HttpResponse<String> second = page(cc);
      assertThat(first.headers().firstValue("X-Cache")).as(cc).hasValue("MISS");
      assertThat(second.headers().firstValue("X-Cache")).as(cc).hasValue("MISS");
      assertThat(second.body()).as(cc).isNotEqualTo(first.body());
      assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).as(cc)
          .endsWith(cc.startsWith("no-cache") ? "detail=no-cache" : "detail=expired");
      assertThat(second.headers().firstValue("Cache-Control")).as("the client still gets the directive").hasValue(cc);
    }
  }

  @Test
  void aPositiveSharedLifetimeIsStoredEvenWhenBrowsersMayNotKeepIt() throws Exception {
    HttpResponse<String> first = page("max-age=0, s-maxage=60");
    HttpResponse<String> second = page("max-age=0, s-maxage=60");
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(second.body()).isEqualTo(first.body());
  }
}
