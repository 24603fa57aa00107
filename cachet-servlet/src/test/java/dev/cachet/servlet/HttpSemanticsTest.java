package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.RoutePolicy;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the filter tells clients and downstream caches about what it serves, as RFC 9111 and RFC
 * 9211 read it, in a plain Servlet application: Jetty 12 on a real port, the cache's time on a
 * clock the test moves.
 */
class HttpSemanticsTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  private Cachet cachet;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock).build();
    HttpCache http = HttpCache.builder(cachet).clock(clock).build();
    RouteTable routes = RouteTable.builder().get("/c/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build();
    jetty = new Jetty(CachetFilter.builder(http).routes(routes).build());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  @Test
  void aHitSaysTheDateOfItsStoredResponseNextToItsAgeSoThatExpiresMinusDateStaysItsLifetime() throws Exception {
    Instant expires = clock.instant().plusSeconds(3600);
    jetty.on("GET /c/expires", (req, res) -> {
      res.setDateHeader("Expires", expires.toEpochMilli()); // no Cache-Control: freshness from Expires
      res.getWriter().write("expiring");
    });
    HttpResponse<String> miss = jetty.send("GET", "/c/expires");
    String date = miss.headers().firstValue("Date").orElseThrow();
    assertThat(miss.headers().allValues("Date")).hasSize(1);
    assertThat(Duration.between(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)), expires).getSeconds()).isBetween(3599L, 3600L);

    clock.advance(Duration.ofSeconds(3));
    HttpResponse<String> hit = jetty.send("GET", "/c/expires");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.headers().allValues("Date")).containsExactly(date);
    assertThat(hit.headers().firstValue("Age")).hasValue("3");

    String etag = hit.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> notModified = jetty.send("GET", "/c/expires", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().allValues("Date")).containsExactly(date);
    assertThat(notModified.headers().firstValue("Age")).hasValue("3");
  }

  @Test
  void aHandlersOwnDateIsKeptAndReplayed() throws Exception {
    String own = "Mon, 02 Nov 2026 10:00:00 GMT";
    jetty.on("GET /c/dated", (req, res) -> {
      res.setHeader("Date", own);
      res.getWriter().write("dated");
    });
    assertThat(jetty.send("GET", "/c/dated").headers().allValues("Date")).containsExactly(own);
    clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> hit = jetty.send("GET", "/c/dated");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.headers().allValues("Date")).containsExactly(own);
    assertThat(hit.headers().firstValue("Age")).hasValue("2");
  }

  @Test
  void everyMethodNotKnownToBeSafeInvalidatesOnSuccessAndSafeOnesDoNot() throws Exception {
    jetty.on("GET /c/doc", (req, res) -> res.getWriter().write("doc"));
    for (String method : new String[] {"MOVE", "COPY", "PROPPATCH", "MKCOL", "LOCK", "PURGE", "FROBNICATE",
        "PUT", "OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH"}) {
      jetty.on(method + " /c/doc", (req, res) -> res.getWriter().write(method + " ok"));
      jetty.send("GET", "/c/doc");
      assertThat(xCache(jetty.send("GET", "/c/doc"))).as(method).isEqualTo("HIT");
      HttpResponse<String> write = jetty.send(method, "/c/doc");
      assertThat(write.statusCode()).as(method).isEqualTo(200);
      boolean safe = java.util.Set.of("OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH").contains(method);
      assertThat(xCache(jetty.send("GET", "/c/doc"))).as(method).isEqualTo(safe ? "HIT" : "MISS");
    }
  }

  @Test
  void onlyIfCachedWithoutAnEntryIsTheCachesOwn504AndSaysNothingWasForwarded() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    jetty.on("GET /c/cold", (req, res) -> res.getWriter().write("run " + runs.incrementAndGet()));
    HttpResponse<String> cold = jetty.send("GET", "/c/cold", "Cache-Control", "only-if-cached");
    assertThat(cold.statusCode()).isEqualTo(504);
    assertThat(xCache(cold)).isEqualTo("MISS");
    assertThat(cold.headers().allValues("Cache-Status")).containsExactly("Cachet; detail=only-if-cached");
    assertThat(runs.get()).isZero();
    jetty.send("GET", "/c/cold");
    HttpResponse<String> warm = jetty.send("GET", "/c/cold", "Cache-Control", "only-if-cached");
    assertThat(warm.statusCode()).isEqualTo(200);
    assertThat(xCache(warm)).isEqualTo("HIT");
  }

  @Test
  void anInnerCachesCacheStatusIsStoredAndEachReplayAddsCachetsMemberAfterIt() throws Exception {
    jetty.on("GET /c/relayed", (req, res) -> {
      res.addHeader("Cache-Status", "upstream; hit"); // a response relayed from behind another cache
      res.getWriter().write("relayed");
    });
    HttpResponse<String> miss = jetty.send("GET", "/c/relayed");
    assertThat(miss.headers().allValues("Cache-Status"))
        .containsExactly("upstream; hit", "Cachet; fwd=uri-miss; fwd-status=200; stored");
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> hit = jetty.send("GET", "/c/relayed");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.headers().allValues("Cache-Status")).containsExactly("upstream; hit", "Cachet; hit; ttl=299");
    HttpResponse<String> notModified =
        jetty.send("GET", "/c/relayed", "If-None-Match", hit.headers().firstValue("ETag").orElseThrow());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().allValues("Cache-Status")).containsExactly("upstream; hit", "Cachet; hit; ttl=299");
  }
}
