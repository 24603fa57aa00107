package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.Compression;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed entries over a real Jetty: the bytes on the wire are what each client asked for,
 * with the headers that describe them, on the miss and on hits, for {@code GET} and {@code HEAD}.
 */
class CompressionIT {
  private static final String JSON = json(30_000);
  private final AtomicInteger runs = new AtomicInteger();
  private Cachet cachet;
  private Jetty jetty;

  static String json(int bytes) {
    StringBuilder b = new StringBuilder(bytes).append('[');
    for (int i = 0; b.length() < bytes - 40; i++) {
      b.append("{\"id\":").append(i).append(",\"label\":\"row ").append(i * 31 % 97).append("\"},");
    }
    return b.append("{}]").toString();
  }

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder()
            .compression(Compression.builder().mediaTypes("application/json").minBytes(1024).build())
            .build())
        .build();
    RouteTable routes = RouteTable.builder().get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build();
    jetty = new Jetty(CachetFilter.builder(http).routes(routes).build())
        .on("GET /json", (req, res) -> {
          runs.incrementAndGet();
          res.setContentType("application/json");
          res.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
        })
        .on("GET /png", (req, res) -> {
          res.setContentType("image/png");
          res.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
        })
        .on("GET /small", (req, res) -> {
          res.setContentType("application/json");
          res.getWriter().write("{\"ok\":true}");
        });
  }

  /**
   * An outer filter's {@code Vary} (as a CORS filter sets one before Cachet runs) stays beside the
   * stored {@code Vary: Accept-Encoding}, on the miss and on hits, so that caches downstream
   * still key by both.
   */
  @Test
  void anOuterFiltersVaryIsKept() throws Exception {
    jetty.close();
    Filter cors = (request, response, chain) -> {
      ((HttpServletResponse) response).addHeader("Vary", "Origin");
      chain.doFilter(request, response);
    };
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder()
            .compression(Compression.builder().mediaTypes("application/json").minBytes(1024).build())
            .build())
        .build();
    RouteTable routes = RouteTable.builder().get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build();
    jetty = new Jetty(cors, CachetFilter.builder(http).routes(routes).build())
        .on("GET /json", (req, res) -> {
          res.setContentType("application/json");
          res.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
        });

    HttpResponse<byte[]> miss = send("GET", "/json", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> hit = send("GET", "/json", "Accept-Encoding", "gzip");

    assertThat(Jetty.xCache(hit)).isEqualTo("HIT");
    for (HttpResponse<byte[]> r : List.of(miss, hit)) {
      assertThat(String.join(",", r.headers().allValues("Vary")).replace(" ", "").toLowerCase(Locale.ROOT))
          .isEqualTo("origin,accept-encoding");
    }
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(jetty.request("GET", path).uri())
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return jetty.client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String gunzip(byte[] gzip) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("none");
  }

  @Test
  void gzipClientsGetGzipBytesOnTheMissAndTheHit() throws Exception {
    HttpResponse<byte[]> miss = send("GET", "/json", "Accept-Encoding", "gzip, deflate");
    HttpResponse<byte[]> hit = send("GET", "/json", "Accept-Encoding", "gzip");
    assertThat(Jetty.xCache(miss)).isEqualTo("MISS");
    assertThat(Jetty.xCache(hit)).isEqualTo("HIT");
    for (HttpResponse<byte[]> r : java.util.List.of(miss, hit)) {
      assertThat(header(r, "Content-Encoding")).isEqualTo("gzip");
      assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
      assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
      assertThat(r.body().length).isLessThan(JSON.length() / 3);
      assertThat(gunzip(r.body())).isEqualTo(JSON);
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void identityClientsAndRefusalsGetTheBodyAsWritten() throws Exception {
    HttpResponse<byte[]> miss = send("GET", "/json");
    assertThat(Jetty.xCache(miss)).isEqualTo("MISS");
    for (String[] headers : new String[][] {{}, {"Accept-Encoding", "gzip;q=0"}, {"Accept-Encoding", "identity"}}) {
      HttpResponse<byte[]> r = headers.length == 0 ? send("GET", "/json") : send("GET", "/json", headers);
      assertThat(header(r, "Content-Encoding")).isEqualTo("none");
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(JSON);
      assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(JSON.length()));
      assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
    }
    assertThat(new String(miss.body(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(runs).hasValue(1);
  }

  @Test
  void eachFormsTagAnswers304OnlyForItself() throws Exception {
    String identityTag = header(send("GET", "/json"), "ETag");
    String gzipTag = header(send("GET", "/json", "Accept-Encoding", "gzip"), "ETag");
    assertThat(gzipTag).isNotEqualTo(identityTag).endsWith("-gzip\"");
    assertThat(send("GET", "/json", "Accept-Encoding", "gzip", "If-None-Match", gzipTag).statusCode()).isEqualTo(304);
    assertThat(send("GET", "/json", "If-None-Match", identityTag).statusCode()).isEqualTo(304);
    HttpResponse<byte[]> crossed = send("GET", "/json", "Accept-Encoding", "gzip", "If-None-Match", identityTag);
    assertThat(crossed.statusCode()).isEqualTo(200);
    assertThat(gunzip(crossed.body())).isEqualTo(JSON);
    assertThat(send("GET", "/json", "If-None-Match", gzipTag).statusCode()).isEqualTo(200);
  }

  @Test
  void headHasTheHeadersOfGet() throws Exception {
    HttpResponse<byte[]> gzip = send("GET", "/json", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> headGzip = send("HEAD", "/json", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> identity = send("GET", "/json");
    HttpResponse<byte[]> headIdentity = send("HEAD", "/json");
    for (String name : new String[] {"Content-Encoding", "Content-Length", "ETag"}) {
      assertThat(header(headGzip, name)).as(name).isEqualTo(header(gzip, name));
      assertThat(header(headIdentity, name)).as(name).isEqualTo(header(identity, name));
    }
    assertThat(headGzip.body()).isEmpty();
    assertThat(header(headGzip, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(headIdentity, "Content-Length")).isEqualTo(Integer.toString(JSON.length()));
  }

  @Test
  void otherTypesAndSmallBodiesAreServedAsWritten() throws Exception {
    for (String path : new String[] {"/png", "/small"}) {
      send("GET", path, "Accept-Encoding", "gzip");
      HttpResponse<byte[]> hit = send("GET", path, "Accept-Encoding", "gzip");
      assertThat(Jetty.xCache(hit)).isEqualTo("HIT");
      assertThat(header(hit, "Content-Encoding")).as(path).isEqualTo("none");
      assertThat(hit.headers().allValues("Vary")).as(path).isEmpty();
    }
  }
}
