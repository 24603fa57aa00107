package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** The demo's features over a real port, as the README walks through them. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"cachet.http.max-body-size=100KB"})
@Import(TestRoutes.class)
class DemoIT {
  @LocalServerPort int port;
  @Autowired TestRoutes routes;
  @Autowired dev.cachet.Cachet cachet;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void emptyCache() {
    cachet.clear();
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{\"name\":\"changed\"}"));
    if (!method.equals("GET")) {
      b.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("X-Cache").orElse("none");
  }

  @Test
  void theTaggedExampleHitsAndIsInvalidatedByTag() throws Exception {
    HttpResponse<String> first = get("/tagged");
    HttpResponse<String> second = get("/tagged");
    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    // Unix seconds with milliseconds, as seed 000 prints them (a double would read 1.79...E9).
    assertThat(first.body()).containsPattern("\"timestamp\":\\d{10}\\.\\d{3}[,}]");
    assertThat(send("POST", "/invalidate").statusCode()).isEqualTo(200);
    HttpResponse<String> third = get("/tagged");
    assertThat(xCache(third)).isEqualTo("MISS");
    assertThat(third.body()).isNotEqualTo(first.body());
  }

  @Test
  void badPagingIsA400NeverA500AndNeverStored() throws Exception {
    for (String query : new String[] {"size=2147483647&page=2", "page=0", "size=0", "size=101"}) {
      HttpResponse<String> r = get("/spaces/1/items?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(xCache(r)).as(query).isEqualTo("MISS");
      assertThat(xCache(get("/spaces/1/items?" + query))).as(query).isEqualTo("MISS");
    }
  }

  @Test
  void queryOrderDoesNotMatter() throws Exception {
    HttpResponse<String> a = get("/spaces/1/items?page=1&size=2");
    HttpResponse<String> b = get("/spaces/1/items?size=2&page=1");
    assertThat(xCache(b)).isEqualTo("HIT");
    assertThat(b.body()).isEqualTo(a.body());
  }

  @Test
  void conditionalRequestsGet304() throws Exception {
    String etag = get("/spaces/1").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> r = get("/spaces/1", "If-None-Match", etag);
    assertThat(r.statusCode()).isEqualTo(304);
  }

  @Test
  void hierarchicalInvalidationSparesSiblings() throws Exception {
    List<String> paths = List.of("/spaces", "/spaces/2", "/spaces/2/items", "/spaces/2/items/1", "/spaces/2/items/3");
    for (String p : paths) {
      get(p);
      assertThat(xCache(get(p))).as(p).isEqualTo("HIT");
    }
    assertThat(send("PATCH", "/spaces/2/items/1").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/spaces/2/items/1"))).isEqualTo("MISS");
    assertThat(get("/spaces/2/items/1").body()).contains("changed");
    assertThat(xCache(get("/spaces/2/items"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces/2"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces/2/items/3"))).isEqualTo("HIT");
  }

  @Test
  void aFailedWriteInvalidatesNothing() throws Exception {
    get("/spaces/2/items");
    assertThat(send("PUT", "/spaces/2/items/999").statusCode()).isEqualTo(404);
    assertThat(xCache(get("/spaces/2/items"))).isEqualTo("HIT");
  }

  @Test
  void declaredInvalidationRunsOnlyAfterSuccess() throws Exception {
    get("/test/tagged/7");
    assertThat(send("POST", "/test/things/7/touch?status=400").statusCode()).isEqualTo(400);
    assertThat(xCache(get("/test/tagged/7"))).isEqualTo("HIT");
    assertThat(send("POST", "/test/things/7/touch").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/test/tagged/7"))).isEqualTo("MISS");
  }

  @Test
  void eachUserGetsTheirOwnEntry() throws Exception {
    HttpResponse<String> ada = get("/me", "X-User", "ada");
    HttpResponse<String> bob = get("/me", "X-User", "bob");
    assertThat(ada.body()).contains("\"user\":\"ada\"");
    assertThat(bob.body()).contains("\"user\":\"bob\"");
    assertThat(xCache(get("/me", "X-User", "bob"))).isEqualTo("HIT");
    assertThat(get("/me", "X-User", "bob").body()).isEqualTo(bob.body());
    assertThat(get("/me", "X-User", "ada").body()).isEqualTo(ada.body());
    // Caches after Cachet (a CDN, a proxy) are told not to share them, on a miss and on a hit.
    assertThat(ada.headers().allValues("Cache-Control")).containsExactly("private");
    assertThat(get("/me", "X-User", "ada").headers().allValues("Cache-Control")).containsExactly("private");
  }

  @Test
  void aSecondIdentityHeaderNeverWritesIntoTheFirstUsersEntry() throws Exception {
    HttpResponse<String> both = get("/me?twice", "X-User", "carol", "X-User", "mallory");
    assertThat(both.body()).contains("\"user\":\"carol,mallory\"");
    HttpResponse<String> carol = get("/me?twice", "X-User", "carol");
    assertThat(xCache(carol)).isEqualTo("MISS");
    assertThat(carol.body()).contains("\"user\":\"carol\"");
  }

  @Test
  void theCatalogIsStoredCompressedAndSentAsStoredToClientsThatTakeGzip() throws Exception {
    HttpResponse<String> identity = get("/catalog");
    HttpRequest gzipRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/catalog"))
        .header("Accept-Encoding", "gzip").build();
    HttpResponse<byte[]> hit = client.send(gzipRequest, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(xCache(identity)).isEqualTo("MISS");
    assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(identity.body()).hasSizeGreaterThan(40_000);
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.headers().allValues("Content-Encoding")).containsExactly("gzip");
    assertThat(hit.body().length).isLessThan(identity.body().length() / 4);
    try (var in = new GZIPInputStream(new ByteArrayInputStream(hit.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(identity.body());
    }
    assertThat(hit.headers().firstValue("ETag")).isNotEqualTo(identity.headers().firstValue("ETag"));
  }

  @Test
  void cookiesAndErrorsAreNeverReplayed() throws Exception {
    int before = routes.calls();
    get("/test/cookie");
    HttpResponse<String> again = get("/test/cookie");
    assertThat(xCache(again)).isEqualTo("MISS");
    assertThat(get("/test/error").statusCode()).isEqualTo(503);
    assertThat(get("/test/error").statusCode()).isEqualTo(503);
    assertThat(routes.calls() - before).isEqualTo(4);
  }

  @Test
  void bodiesOverTheCapStreamWholeAndAreNotStored() throws Exception {
    HttpResponse<String> big = get("/test/big?size=300000");
    assertThat(big.body()).hasSize(300_000);
    assertThat(xCache(get("/test/big?size=300000"))).isEqualTo("MISS");
    get("/test/big?size=1000");
    assertThat(xCache(get("/test/big?size=1000"))).isEqualTo("HIT");
  }

  @Test
  void clientsCanRefreshButNotStoreThroughTheirHeaders() throws Exception {
    HttpResponse<String> first = get("/spaces/1");
    HttpResponse<String> refreshed = get("/spaces/1", "Cache-Control", "no-cache");
    assertThat(xCache(refreshed)).isEqualTo("SKIP");
    assertThat(refreshed.body()).isNotEqualTo(first.body());
    assertThat(get("/spaces/1").body()).isEqualTo(refreshed.body());
  }

  @Test
  void theSlowEndpointIsComputedOnceForConcurrentCallers() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    String body = calls.get(0).join().body();
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      assertThat(c.join().body()).isEqualTo(body);
    }
  }

  @Test
  void methodResultsAreCachedAndInvalidated() throws Exception {
    String first = get("/prices/pear").body();
    assertThat(get("/prices/pear").body()).isEqualTo(first);
    // The cached value decodes to the same JSON, scale included.
    String apple = get("/prices/apple").body();
    assertThat(apple).contains("\"price\":1.20");
    assertThat(get("/prices/apple").body()).isEqualTo(apple);
    HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prices/pear"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"price\":3.5}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(get("/prices/pear").body()).isNotEqualTo(first).contains("3.5");
  }
}
