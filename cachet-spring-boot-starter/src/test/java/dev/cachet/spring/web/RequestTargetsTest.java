package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * Request targets that Spring MVC matches differently from how a cache might read them, sent over
 * a real port as raw HTTP/1.1 (a client library could normalize them): Spring matches the raw
 * request URI, resolving no dot segment, keeping empty segments and ignoring {@code ;} parameters.
 */
class RequestTargetsTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Ctl ctl() {
      return new Ctl();
    }
  }

  @RestController
  static class Ctl {
    final AtomicInteger version = new AtomicInteger();

    @GetMapping("/")
    @CacheResponse(ttl = "1m")
    String home() {
      return "HOME";
    }

    @GetMapping("/search/{term}")
    @CacheResponse(ttl = "1m")
    String search(@PathVariable String term) {
      return "search [" + term + "]";
    }

    @GetMapping("/items/{id}")
    @CacheResponse(ttl = "1m")
    String item(@PathVariable String id) {
      return "item " + id + " v" + version.get();
    }

    @PutMapping("/items/{id}")
    String put(@PathVariable String id) {
      return "updated " + id + " to v" + version.incrementAndGet();
    }

    @GetMapping("/files/**")
    @CacheResponse(ttl = "1m")
    String files(jakarta.servlet.http.HttpServletRequest r) {
      return "file " + r.getRequestURI() + " v" + version.get();
    }

    @PutMapping("/files/**")
    String putFile() {
      return "v" + version.incrementAndGet();
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class);

  private static Ctl ctl() {
    return app.context().getBean(Ctl.class);
  }

  /**
   * Sends {@code method target} as raw HTTP/1.1, so that no client normalizes the target; returns
   * the status line, the X-Cache and Cache-Status lines and the body, joined by {@code " | "}.
   */
  static String raw(String method, String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", app.port())) {
      OutputStream out = s.getOutputStream();
      out.write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      s.getInputStream().transferTo(b);
      String r = b.toString(StandardCharsets.UTF_8);
      StringBuilder summary = new StringBuilder(r.substring(0, r.indexOf("\r\n")));
      for (String line : r.split("\r\n")) {
        if (line.startsWith("X-Cache") || line.startsWith("Cache-Status")) summary.append(" | ").append(line);
      }
      return summary.append(" | body=").append(r.substring(r.indexOf("\r\n\r\n") + 4)).toString();
    }
  }

  @Test
  void aDotSegmentNeverStoresOneRoutesResponseUnderAnothersKey() throws Exception {
    // Spring runs /search/{term} with term ".." here; "/" is the canonical form of the path.
    assertThat(raw("GET", "/search/..")).startsWith("HTTP/1.1 200")
        .contains("X-Cache: BYPASS", "detail=dot-segment").endsWith("search [..]");
    assertThat(raw("GET", "/")).contains("X-Cache: MISS").endsWith("HOME");
    assertThat(raw("GET", "/")).contains("X-Cache: HIT").endsWith("HOME");
    assertThat(raw("GET", "/search/.")).contains("X-Cache: BYPASS", "detail=dot-segment").endsWith("search [.]");
    assertThat(raw("GET", "/search/%2e%2E")).contains("X-Cache: BYPASS").endsWith("search [..]");
  }

  @Test
  void anEmptySegmentNeverStoresItsResponseUnderTheCollapsedPath() throws Exception {
    String v = " v" + ctl().version.get();
    assertThat(raw("GET", "/files//a")).contains("X-Cache: BYPASS", "detail=empty-segment").endsWith("file /files//a" + v);
    assertThat(raw("GET", "/files/a")).contains("X-Cache: MISS").endsWith("file /files/a" + v);
    assertThat(raw("GET", "/files/a/")).as("a trailing slash is another resource, cached")
        .contains("X-Cache: MISS").endsWith("file /files/a/" + v);
  }

  @Test
  void aWriteThroughADotSegmentInvalidatesWhatSpringAddressed() throws Exception {
    assertThat(raw("GET", "/files/d/e")).contains("X-Cache: MISS");
    assertThat(raw("GET", "/files/d/e")).contains("X-Cache: HIT");
    // Spring hands /files/d/../e to the catch-all as it is; resolved, it would be /files/e.
    assertThat(raw("PUT", "/files/d/../e")).startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "/files/d/e")).contains("X-Cache: MISS").endsWith(" v" + ctl().version.get());
  }

  @Test
  void semicolonParametersNeitherSplitNorDodgeTheResourcesInvalidation() throws Exception {
    // Spring matches /items/1;x=1 as /items/1: item 1.
    assertThat(raw("GET", "/items/1;x=1")).contains("X-Cache: BYPASS", "detail=path-params")
        .endsWith("item 1 v" + ctl().version.get());
    assertThat(raw("GET", "/items/1")).contains("X-Cache: MISS");
    assertThat(raw("GET", "/items/1")).contains("X-Cache: HIT");
    assertThat(raw("PUT", "/items/1;x=1")).startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "/items/1")).contains("X-Cache: MISS").endsWith("item 1 v" + ctl().version.get());
    assertThat(raw("PUT", "/items/1")).startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "/items/1;x=1")).contains("X-Cache: BYPASS").endsWith("item 1 v" + ctl().version.get());
  }

  @Test
  void aWriteWithAMalformedQueryStillInvalidatesItsPath() throws Exception {
    assertThat(raw("GET", "/items/7")).contains("X-Cache: MISS").endsWith("item 7 v" + ctl().version.get());
    assertThat(raw("GET", "/items/7")).contains("X-Cache: HIT");
    assertThat(raw("PUT", "/items/7?x=%zz")).startsWith("HTTP/1.1 200");
    assertThat(raw("GET", "/items/7")).contains("X-Cache: MISS").endsWith("item 7 v" + ctl().version.get());
  }
}
