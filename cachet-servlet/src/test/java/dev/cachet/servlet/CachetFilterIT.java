package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.RoutePolicy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter in a real Jetty 12 on a real port, driven by a real HTTP client. */
class CachetFilterIT {
  private final TestApp app = new TestApp();
  private Jetty jetty;
  private Cachet cachet;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder().maxBodyBytes(1024 * 1024).build())
        .build();
    RoutePolicy fiveMinutes = RoutePolicy.ofTtl(Duration.ofMinutes(5));
    RouteTable routes = RouteTable.builder()
        .get("/me", RoutePolicy.builder().ttl(Duration.ofMinutes(5)).varyByPrincipal(true).build())
        .get("/spaces/**", RoutePolicy.builder().ttl(Duration.ofMinutes(5)).tags("spaces").build())
        .get("/**", fiveMinutes)
        .write("/admin/purge", InvalidationPolicy.builder().tags("spaces").build())
        .build();
    CachetFilter filter = CachetFilter.builder(http)
        .routes(routes)
        .identity(request -> request.getHeader("X-User"))
        .build();
    jetty = new Jetty(app, filter);
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return jetty.send("GET", path, headers);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return jetty.send(method, path);
  }

  @Test
  void aMissIsStoredAndTheNextRequestHits() throws Exception {
    HttpResponse<String> first = get("/items?a=1&b=2");
    HttpResponse<String> second = get("/items?b=2&a=1");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Age")).isPresent();
    assertThat(second.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Cachet; hit");
    assertThat(second.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(app.computed("GET /items")).isEqualTo(1);
  }

  @Test
  void etagsAnswerConditionalRequestsWith304() throws Exception {
    String etag = get("/items").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> conditional = get("/items", "If-None-Match", etag);
    assertThat(conditional.statusCode()).isEqualTo(304);
    assertThat(conditional.body()).isEmpty();
  }

  @Test
  void setCookieAndErrorsAreNeverReplayed() throws Exception {
    get("/cookie");
    HttpResponse<String> again = get("/cookie");
    assertThat(xCache(again)).isEqualTo("MISS");
    assertThat(app.computed("GET /cookie")).isEqualTo(2);
    get("/error500");
    assertThat(get("/error500").statusCode()).isEqualTo(500);
    assertThat(app.computed("GET /error500")).isEqualTo(2);
  }

  @Test
  void sendErrorReachesTheClientAndIsNotCached() throws Exception {
    HttpResponse<String> first = get("/notfound");
    HttpResponse<String> second = get("/notfound");
    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(app.computed("GET /notfound")).isEqualTo(2);
  }

  @Test
  void usersNeverSeeEachOthersEntries() throws Exception {
    HttpResponse<String> ada = get("/me", "X-User", "ada");
    HttpResponse<String> bob = get("/me", "X-User", "bob");
    assertThat(ada.body()).contains("\"user\":\"ada\"");
    assertThat(bob.body()).contains("\"user\":\"bob\"");
    assertThat(get("/me", "X-User", "ada").body()).isEqualTo(ada.body());
    assertThat(xCache(get("/me", "X-User", "bob"))).isEqualTo("HIT");
  }

  @Test
  void credentialedRequestsBypassSharedEntries() throws Exception {
    get("/items");
    HttpResponse<String> withAuth = get("/items", "Authorization", "Bearer secret");
    assertThat(xCache(withAuth)).isEqualTo("BYPASS");
    assertThat(app.computed("GET /items")).isEqualTo(2);
  }

  @Test
  void writesInvalidateTheResourceItsSubtreeAndExactAncestorsButNotSiblings() throws Exception {
    for (String path : List.of("/spaces", "/spaces/1", "/spaces/1/items?page=2", "/spaces/1/items/2", "/spaces/1/items/3")) {
      get(path);
      assertThat(xCache(get(path))).as(path).isEqualTo("HIT");
    }
    assertThat(send("PUT", "/spaces/1/items/2").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/spaces/1/items/2"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces/1/items?page=2"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces/1"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces"))).isEqualTo("MISS");
    assertThat(xCache(get("/spaces/1/items/3"))).as("sibling").isEqualTo("HIT");
  }

  @Test
  void failedWritesInvalidateNothing() throws Exception {
    get("/spaces/1/fail");
    assertThat(send("DELETE", "/spaces/1/fail").statusCode()).isEqualTo(500);
    assertThat(xCache(get("/spaces/1/fail"))).isEqualTo("HIT");
  }

  @Test
  void declaredTagsAreInvalidatedByTheirWrite() throws Exception {
    get("/spaces/9/items");
    assertThat(send("POST", "/admin/purge").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/spaces/9/items"))).isEqualTo("MISS");
  }

  @Test
  void bodiesOverTheCapStreamThroughIntactAndUnstored() throws Exception {
    HttpResponse<byte[]> big = jetty.client().send(HttpRequest.newBuilder(jetty.uri("/big")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(big.statusCode()).isEqualTo(200);
    assertThat(big.body()).hasSize(2 * 1024 * 1024);
    jetty.client().send(HttpRequest.newBuilder(jetty.uri("/big")).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(app.computed("GET /big")).isEqualTo(2);
  }

  @Test
  void requestNoCacheRefreshesAndNoStoreSkips() throws Exception {
    get("/items");
    HttpResponse<String> refreshed = get("/items", "Cache-Control", "no-cache");
    assertThat(xCache(refreshed)).isEqualTo("SKIP");
    assertThat(get("/items").body()).isEqualTo(refreshed.body());
    assertThat(xCache(get("/items", "Cache-Control", "no-store"))).isEqualTo("SKIP");
    assertThat(app.computed("GET /items")).isEqualTo(3);
  }

  @Test
  void headIsServedFromTheGetEntry() throws Exception {
    get("/items");
    HttpResponse<Void> head = jetty.client().send(HttpRequest.newBuilder(jetty.uri("/items"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(xCache(head)).isEqualTo("HIT");
    assertThat(app.computed("GET /items")).isEqualTo(1);
  }

  @Test
  void concurrentMissesRunTheHandlerOnce() throws Exception {
    app.slowGate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        responses.add(pool.submit(() -> get("/slow")));
      }
      // Wait until the leader is inside the handler, then let it finish.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (app.computed("GET /slow") == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      app.slowGate.countDown();
      String body = null;
      for (Future<HttpResponse<String>> f : responses) {
        HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        body = body == null ? r.body() : body;
        assertThat(r.body()).isEqualTo(body);
      }
      assertThat(app.computed("GET /slow")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unroutedReadsPassUntouched() throws Exception {
    // Every GET is routed in this table; the filter leaves other dispatches alone. A POST to an
    // unrouted path still invalidates its hierarchy.
    get("/other/1");
    assertThat(send("POST", "/other/1").statusCode()).isEqualTo(200);
    assertThat(xCache(get("/other/1"))).isEqualTo("MISS");
  }
}
