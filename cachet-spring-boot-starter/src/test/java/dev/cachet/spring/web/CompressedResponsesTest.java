package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.KeyInfo;
import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Boot's {@code server.compression.*} on, over real Tomcat: cached routes are served
 * gzip (stored so, compressed once) to clients that accept it, never compressed twice, and as
 * written to the others, as uncached routes are by Tomcat.
 */
class CompressedResponsesTest {
  static final String DOC = json(50_000);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  static String json(int bytes) {
    StringBuilder b = new StringBuilder(bytes).append('[');
    for (int i = 0; b.length() < bytes - 60; i++) {
      b.append("{\"id\":").append(i).append(",\"title\":\"entry ").append(i * 7 % 113)
          .append("\",\"open\":").append(i % 3 == 0).append("},");
    }
    return b.append("{}]").toString();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Documents documents() {
      return new Documents();
    }
  }

  @RestController
  static class Documents {
    final AtomicInteger handled = new AtomicInteger();

    @GetMapping("/doc")
    @CacheResponse(ttl = "10m")
    ResponseEntity<String> doc() {
      handled.incrementAndGet();
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(DOC);
    }

    @GetMapping("/uncached")
    ResponseEntity<String> uncached() {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(DOC);
    }

    @GetMapping("/image")
    @CacheResponse(ttl = "10m")
    ResponseEntity<byte[]> image() {
      return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(DOC.getBytes(StandardCharsets.UTF_8));
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class,
      "server.compression.enabled=true", "server.compression.min-response-size=1",
      "server.compression.mime-types=application/json,text/plain");

  static HttpResponse<byte[]> send(int port, String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    return send(app.port(), method, path, headers);
  }

  static String gunzip(byte[] gzip) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String header(HttpResponse<?> r, String name) {
    return String.join(", ", r.headers().allValues(name));
  }

  @Test
  void gzipClientsGetTheCachedRouteGzipOnceOnTheMissAndTheHit() throws Exception {
    HttpResponse<byte[]> tomcat = send("GET", "/uncached", "Accept-Encoding", "gzip");
    assertThat(header(tomcat, "Content-Encoding")).as("Tomcat compresses what Cachet does not cache").isEqualTo("gzip");

    HttpResponse<byte[]> miss = send("GET", "/doc", "Accept-Encoding", "gzip, deflate, br");
    HttpResponse<byte[]> hit = send("GET", "/doc", "Accept-Encoding", "gzip");
    assertThat(header(miss, "X-Cache")).isEqualTo("MISS");
    assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
    for (HttpResponse<byte[]> r : java.util.List.of(miss, hit)) {
      assertThat(header(r, "Content-Encoding")).as("one coding, not two").isEqualTo("gzip");
      assertThat(gunzip(r.body())).as("gunzipped once, it is the document").isEqualTo(DOC);
      assertThat(header(r, "Vary").toLowerCase()).contains("accept-encoding");
      assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
      assertThat(r.body().length).isLessThan(DOC.length() / 4);
    }
    assertThat(hit.body()).isEqualTo(miss.body());
  }

  @Test
  void identityClientsGetTheDocumentAsWrittenAndEachFormItsOwn304() throws Exception {
    HttpResponse<byte[]> gzip = send("GET", "/doc", "Accept-Encoding", "gzip");
    for (String accept : new String[] {"identity", "gzip;q=0"}) {
      HttpResponse<byte[]> identity = send("GET", "/doc", "Accept-Encoding", accept);
      assertThat(header(identity, "Content-Encoding")).as(accept).isEmpty();
      assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo(DOC);
      assertThat(header(identity, "Content-Length")).isEqualTo(Integer.toString(DOC.length()));
      assertThat(header(identity, "Vary").toLowerCase()).contains("accept-encoding");
    }
    HttpResponse<byte[]> none = send("GET", "/doc");
    assertThat(new String(none.body(), StandardCharsets.UTF_8)).isEqualTo(DOC);
    String gzipTag = header(gzip, "ETag");
    String identityTag = header(none, "ETag");
    assertThat(gzipTag).isNotEqualTo(identityTag);
    assertThat(send("GET", "/doc", "Accept-Encoding", "gzip", "If-None-Match", gzipTag).statusCode()).isEqualTo(304);
    assertThat(send("GET", "/doc", "If-None-Match", identityTag).statusCode()).isEqualTo(304);
    assertThat(send("GET", "/doc", "Accept-Encoding", "gzip", "If-None-Match", identityTag).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/doc", "If-None-Match", gzipTag).statusCode()).isEqualTo(200);
  }

  @Test
  void headCarriesTheHeadersOfGet() throws Exception {
    HttpResponse<byte[]> get = send("GET", "/doc", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> head = send("HEAD", "/doc", "Accept-Encoding", "gzip");
    for (String name : new String[] {"Content-Encoding", "Content-Length", "ETag"}) {
      assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
    }
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void anUncompressibleTypeIsLeftAlone() throws Exception {
    send("GET", "/image", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> hit = send("GET", "/image", "Accept-Encoding", "gzip");
    assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
    assertThat(header(hit, "Content-Encoding")).isEmpty();
    assertThat(new String(hit.body(), StandardCharsets.UTF_8)).isEqualTo(DOC);
  }

  @Test
  void theEntryHoldsTheCompressedDocument() throws Exception {
    send("GET", "/doc", "Accept-Encoding", "gzip");
    Cachet cachet = app.context().getBean(Cachet.class);
    KeyInfo entry = cachet.keys("*/doc*", null, 10).keys().get(0);
    assertThat(entry.sizeBytes()).isLessThan(DOC.length() / 4);
  }

  @Test
  void cachetsOwnSwitchOverridesServerCompression() throws Exception {
    try (ConfigurableApplicationContext off = RunningApp.run(App.class,
        "server.compression.enabled=true", "server.compression.min-response-size=1",
        "server.compression.mime-types=application/json", "cachet.http.compression.enabled=false")) {
      int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) off).getWebServer().getPort();
      send(port, "GET", "/doc", "Accept-Encoding", "gzip");
      HttpResponse<byte[]> hit = send(port, "GET", "/doc", "Accept-Encoding", "gzip");
      assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
      assertThat(header(hit, "Content-Encoding")).as("Tomcat leaves a strong ETag alone").isEmpty();
      assertThat(new String(hit.body(), StandardCharsets.UTF_8)).isEqualTo(DOC);
      KeyInfo entry = off.getBean(Cachet.class).keys("*/doc*", null, 10).keys().get(0);
      assertThat(entry.sizeBytes()).isGreaterThan(DOC.length());
    }
  }
}
