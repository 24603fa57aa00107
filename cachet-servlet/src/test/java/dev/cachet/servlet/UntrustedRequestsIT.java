package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.RoutePolicy;
import dev.cachet.store.MemoryStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an untrusted client can make the cache do, through a real Jetty: a parameter the key
 * ignores never shapes what others get, a write never clears the namespace because its target
 * was in a form body or next to a malformed parameter, and misses that store nothing never push
 * stored entries out.
 */
class UntrustedRequestsIT {
  private Jetty jetty;
  private Cachet cachet;

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
    if (cachet != null) {
      cachet.close();
    }
  }

  private void start(Cachet c, RouteTable routes, HttpCacheConfig config) throws Exception {
    cachet = c;
    CachetFilter filter = CachetFilter.builder(HttpCache.builder(cachet).config(config).build())
        .routes(routes).build();
    jetty = new Jetty(filter);
  }

  /**
   * Reads on every path cached, writes to {@code /comments} invalidating {@code post:{post}},
   * and a {@code /catalog} the writes do not touch, requested once (stored).
   */
  private void startWithACachedCatalog() throws Exception {
    start(Cachet.builder().build(),
        RouteTable.builder()
            .get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5)))
            .write("/comments", InvalidationPolicy.builder().tags("post:{post}").build())
            .build(),
        HttpCacheConfig.defaults());
    AtomicInteger computed = new AtomicInteger();
    jetty.on("GET /catalog", (req, res) -> res.getWriter().write("catalog #" + computed.incrementAndGet()));
    jetty.send("GET", "/catalog");
  }

  /** Sends {@code requestLine} as it is (the JDK client refuses malformed escapes), no body. */
  private String raw(String requestLine) throws Exception {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), jetty.port())) {
      s.setSoTimeout(10_000);
      String req = requestLine + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * A parameter left out of keys (utm_* by default in the starter) never reaches the handler of
   * a cached read: a page that echoes its own URL (a self or canonical link) would otherwise be
   * stored with one client's value and replayed to every other client.
   */
  @Test
  void anIgnoredParameterCannotShapeTheResponseOthersGet() throws Exception {
    start(Cachet.builder().build(),
        RouteTable.builder().get("/articles", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build(),
        HttpCacheConfig.builder().ignoredParameters("utm_*").build());
    jetty.on("GET /articles", (req, res) -> {
      res.setContentType("text/html;charset=utf-8");
      String self = req.getRequestURL() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
      res.getWriter().write("<link rel=\"canonical\" href=\"" + self + "\">");
    });
    HttpResponse<String> attacker = jetty.send("GET", "/articles?utm_source=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&page=2");
    assertThat(attacker.body()).as("the handler sees the request as its key has it")
        .doesNotContain("utm_source").contains("/articles?page=2");
    HttpResponse<String> victim = jetty.send("GET", "/articles?page=2");
    assertThat(Jetty.xCache(victim)).isEqualTo("HIT");
    assertThat(victim.body()).as("a parameter the key ignores must not reach what others are served")
        .doesNotContain("utm_source");
  }

  /**
   * A declared invalidation naming a query parameter renders from the form body too: a form POST
   * that carries the parameter there, which the handler reads, invalidates what it names and
   * does not clear the whole namespace.
   */
  @Test
  void aFormPostThatNamesItsTargetInTheBodyDoesNotClearTheNamespace() throws Exception {
    startWithACachedCatalog();
    AtomicInteger seen = new AtomicInteger();
    jetty.on("POST /comments", (req, res) -> {
      if (req.getParameter("post") != null) {
        seen.incrementAndGet();
      }
      res.setStatus(204);
    });
    assertThat(Jetty.xCache(jetty.send("GET", "/catalog"))).isEqualTo("HIT");
    HttpRequest form = HttpRequest.newBuilder(jetty.uri("/comments"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("post=42&text=hi", StandardCharsets.UTF_8)).build();
    HttpResponse<String> write = jetty.client().send(form, HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(204);
    assertThat(seen).as("the handler read post=42 from the body").hasValue(1);
    assertThat(Jetty.xCache(jetty.send("GET", "/catalog")))
        .as("an anonymous comment should not empty every cached response of the application")
        .isEqualTo("HIT");
  }

  /**
   * The same with the parameter in the query, next to one malformed parameter the handler never
   * reads: the well-formed ones still render the template.
   */
  @Test
  void aStrayMalformedParameterDoesNotTurnAWriteIntoANamespaceClear() throws Exception {
    startWithACachedCatalog();
    jetty.on("POST /comments", (req, res) -> res.setStatus(204));
    assertThat(Jetty.xCache(jetty.send("GET", "/catalog"))).isEqualTo("HIT");
    String write = raw("POST /comments?post=42&x=%zz HTTP/1.1");
    assertThat(write).startsWith("HTTP/1.1 204");
    assertThat(Jetty.xCache(jetty.send("GET", "/catalog")))
        .as("a comment on post 42 should invalidate post:42, not everything")
        .isEqualTo("HIT");
  }

  /**
   * Misses that store nothing (here 404s) still create their tags' versions, which take the
   * store's version slots from the tags of stored entries: a stream of cheap 404s makes a hit
   * read as a miss. The version bound is made small here so that a few thousand requests show it;
   * with the default (1,000,000) the demo needed about 100,000 requests (measured in the report).
   */
  @Test
  void missesThatStoreNothingDoNotEvictStoredEntries() throws Exception {
    MemoryStore store = MemoryStore.builder().maximumVersions(2_000).build();
    start(Cachet.builder().store(store).build(),
        RouteTable.builder().get("/things/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build(),
        HttpCacheConfig.defaults());
    jetty.on("GET /things/hot", (req, res) -> res.getWriter().write("hot"));
    jetty.send("GET", "/things/hot");
    for (int i = 0; i < 3; i++) {
      assertThat(Jetty.xCache(jetty.send("GET", "/things/hot"))).isEqualTo("HIT");
    }
    int notFound = 0;
    for (int i = 0; i < 3_000; i++) {
      HttpResponse<String> r = jetty.send("GET", "/things/nothing-" + i + "/x");
      notFound += r.statusCode() == 404 ? 1 : 0;
    }
    assertThat(notFound).isEqualTo(3_000);
    assertThat(store.size()).as("no 404 was stored").isEqualTo(1);
    String after = Jetty.xCache(jetty.send("GET", "/things/hot"));
    assertThat(after).as("responses that are never stored should not push stored ones out").isEqualTo("HIT");
  }
}
