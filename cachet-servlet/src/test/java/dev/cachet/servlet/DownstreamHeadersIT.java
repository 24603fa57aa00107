package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-caller responses over a real Jetty say {@code Cache-Control: private} to caches after
 * Cachet, whether buffered or streamed past the size cap, merged into the handler's own.
 */
class DownstreamHeadersIT {
  private static final byte[] LARGE = "x".repeat(4096).getBytes(StandardCharsets.UTF_8);
  private Cachet cachet;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder().maxBodyBytes(1024).build())
        .build();
    RouteTable routes = RouteTable.builder()
        .get("/me/**", RoutePolicy.builder().ttl(Duration.ofMinutes(5)).varyByPrincipal(true).build())
        .build();
    jetty = new Jetty(CachetFilter.builder(http).routes(routes)
        .identity(request -> request.getHeader("X-User")).build())
        .on("GET /me/export", (req, res) -> {
          res.setHeader("Cache-Control", "max-age=300");
          res.getOutputStream().write(LARGE); // past the cap: streams to the client
        })
        .on("GET /me/stream", (req, res) -> res.getOutputStream().write(LARGE))
        .on("GET /me/small", (req, res) -> {
          res.setHeader("Cache-Control", "max-age=300");
          res.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        });
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  @Test
  void streamedPerCallerResponsesArePrivate() throws Exception {
    HttpResponse<String> export = jetty.send("GET", "/me/export", "X-User", "ada");
    HttpResponse<String> stream = jetty.send("GET", "/me/stream", "X-User", "ada");

    assertThat(export.body()).hasSize(LARGE.length);
    assertThat(export.headers().allValues("Cache-Control")).containsExactly("max-age=300, private");
    assertThat(stream.headers().allValues("Cache-Control")).containsExactly("private");
  }

  @Test
  void bufferedPerCallerResponsesArePrivateOnMissAndHit() throws Exception {
    HttpResponse<String> miss = jetty.send("GET", "/me/small", "X-User", "ada");
    HttpResponse<String> hit = jetty.send("GET", "/me/small", "X-User", "ada");

    assertThat(Jetty.xCache(hit)).isEqualTo("HIT");
    assertThat(miss.headers().allValues("Cache-Control")).containsExactly("max-age=300, private");
    assertThat(hit.headers().allValues("Cache-Control")).containsExactly("max-age=300, private");
  }
}
