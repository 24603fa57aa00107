package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.RunningApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A miss fills the cache with the full response, whatever the client holds, over real Tomcat:
 * Spring MVC answers {@code If-None-Match} with a {@code 304} by itself for a {@code ResponseEntity}
 * with an {@code ETag}, and {@code Range} with a {@code 206} for a {@code Resource}, neither of
 * which can be stored. The handler of a load that may store therefore never sees the client's
 * validators or range; the client's {@code If-None-Match} is evaluated against the stored
 * response. Requests passed on without storing keep theirs.
 */
class ConditionalMissesTest {
  static final Duration BOUND = Duration.ofSeconds(30);

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Tagged tagged() {
      return new Tagged();
    }
  }

  @RestController
  static class Tagged {
    final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    int runs(String name) {
      AtomicInteger n = runs.get(name);
      return n == null ? 0 : n.get();
    }

    CountDownLatch gate(String id) {
      return gates.computeIfAbsent(id, i -> new CountDownLatch(0));
    }

    private void run(String name) {
      runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    }

    /** Waits for its gate (open unless a test closed it), then answers with a fixed ETag. */
    @GetMapping("/tagged/{id}")
    @CacheResponse(ttl = "10m")
    ResponseEntity<String> tagged(@PathVariable String id) throws InterruptedException {
      run("tagged:" + id);
      if (!gate(id).await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the gate of " + id + " was never opened");
      }
      return ResponseEntity.ok().eTag("\"v-" + id + "\"").body("tagged " + id);
    }

    @GetMapping("/file/{id}")
    @CacheResponse(ttl = "10m")
    ResponseEntity<Resource> file(@PathVariable String id) {
      run("file:" + id);
      return ResponseEntity.ok().body(new ByteArrayResource("0123456789abcdefghijklmno".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Never stored ({@code no-cache}): its client revalidates every time. */
    @GetMapping("/revalidated/{id}")
    @CacheResponse(ttl = "10m")
    ResponseEntity<String> revalidated(@PathVariable String id) {
      run("revalidated:" + id);
      return ResponseEntity.ok().eTag("\"r-" + id + "\"").header("Cache-Control", "no-cache")
          .header("Set-Cookie", "seen=" + id).body("revalidated " + id);
    }

    @GetMapping("/later/{id}")
    @CacheResponse(ttl = "10m")
    CompletableFuture<ResponseEntity<String>> later(@PathVariable String id) {
      run("later:" + id);
      return CompletableFuture.supplyAsync(() -> ResponseEntity.ok().eTag("\"l-" + id + "\"").body("later " + id));
    }

    /** Same tag, new body on every run: only its body tells a refresh happened. */
    @GetMapping("/refreshed/{id}")
    @CacheResponse(ttl = "10m", tags = "refreshed", staleWhileRevalidate = "10m")
    ResponseEntity<String> refreshed(@PathVariable String id) {
      run("refreshed:" + id);
      return ResponseEntity.ok().eTag("\"f-" + id + "\"").body("refreshed " + id + " #" + runs(("refreshed:" + id)));
    }

    @GetMapping("/uncached/{id}")
    ResponseEntity<String> uncached(@PathVariable String id) {
      run("uncached:" + id);
      return ResponseEntity.ok().eTag("\"u-" + id + "\"").body("uncached " + id);
    }
  }

  @RegisterExtension
  static final RunningApp app = RunningApp.perClass(App.class, "cachet.max-wait=60s");

  private Tagged tagged() {
    return app.context().getBean(Tagged.class);
  }

  @Test
  void concurrentConditionalMissesRunTheHandlerOnceAndStoreItsResponse() throws Exception {
    Cachet cachet = app.context().getBean(Cachet.class);
    CountDownLatch gate = new CountDownLatch(1);
    tagged().gates.put("herd", gate);
    long missesBefore = cachet.stats().misses();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        // Clients that hold the current version, as after their copy's max-age ran out.
        sent.add(app.sendAsync("GET", "/tagged/herd", "If-None-Match", "\"v-herd\""));
      }
      until("all 10 requests to miss", () -> cachet.stats().misses() - missesBefore == 10);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(304);
      assertThat(r.headers().firstValue("ETag")).hasValue("\"v-herd\"");
      assertThat(r.body()).isEmpty();
    }
    assertThat(tagged().runs("tagged:herd")).isEqualTo(1);
    HttpResponse<String> later = app.get("/tagged/herd");
    assertThat(later.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(later.body()).isEqualTo("tagged herd");
    assertThat(tagged().runs("tagged:herd")).isEqualTo(1);
  }

  @Test
  void theLeaderOfAMissGetsItsOwn304AndANonMatchingTagTheFullResponse() throws Exception {
    HttpResponse<String> leader = app.get("/tagged/lead", "If-None-Match", "\"v-lead\"");
    assertThat(leader.statusCode()).isEqualTo(304);
    assertThat(leader.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(leader.headers().firstValue("Cache-Status").orElseThrow()).endsWith("fwd-status=200; stored");
    assertThat(leader.headers().firstValue("ETag")).hasValue("\"v-lead\"");

    HttpResponse<String> other = app.get("/tagged/lead", "If-None-Match", "\"v-old\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(other.body()).isEqualTo("tagged lead");
    assertThat(tagged().runs("tagged:lead")).isEqualTo(1);

    HttpResponse<String> notHeld = app.get("/tagged/fresh", "If-None-Match", "\"v-old\"");
    assertThat(notHeld.statusCode()).isEqualTo(200);
    assertThat(notHeld.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(notHeld.body()).isEqualTo("tagged fresh");
  }

  @Test
  void aRangeMissGetsTheWholeResponseWhichIsStoredAndNoHitAdvertisesRanges() throws Exception {
    HttpResponse<String> miss = app.get("/file/r", "Range", "bytes=0-4");
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.body()).isEqualTo("0123456789abcdefghijklmno");
    assertThat(miss.headers().firstValue("Cache-Status").orElseThrow()).endsWith("fwd-status=200; stored");
    assertThat(miss.headers().firstValue("Accept-Ranges")).isEmpty();

    HttpResponse<String> hit = app.get("/file/r", "Range", "bytes=0-4");
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo("0123456789abcdefghijklmno");
    assertThat(hit.headers().firstValue("Accept-Ranges")).as("a hit never honours Range").isEmpty();
    assertThat(tagged().runs("file:r")).isEqualTo(1);
  }

  @Test
  void aResponseThatMayNotBeStoredIsStillAnswered304WhenTheClientHoldsIt() throws Exception {
    HttpResponse<String> held = app.get("/revalidated/1", "If-None-Match", "\"r-1\"");
    assertThat(held.statusCode()).isEqualTo(304);
    assertThat(held.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(held.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd-status=200; detail=");
    assertThat(held.headers().firstValue("ETag")).hasValue("\"r-1\"");
    assertThat(held.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(held.headers().allValues("Set-Cookie")).as("this client's cookie still reaches it").contains("seen=1");
    assertThat(held.body()).isEmpty();

    HttpResponse<String> changed = app.get("/revalidated/1", "If-None-Match", "\"r-0\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo("revalidated 1");
  }

  @Test
  void aConditionalMissOfAHandlerThatAnswersLaterIsStoredToo() throws Exception {
    HttpResponse<String> leader = app.get("/later/1", "If-None-Match", "\"l-1\"");
    assertThat(leader.statusCode()).isEqualTo(304);
    assertThat(leader.headers().firstValue("Cache-Status").orElseThrow()).endsWith("fwd-status=200; stored");
    HttpResponse<String> hit = app.get("/later/1");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo("later 1");
    assertThat(tagged().runs("later:1")).isEqualTo(1);
  }

  @Test
  void aBackgroundRefreshForAConditionalRequestStoresTheFullResponse() throws Exception {
    assertThat(app.get("/refreshed/1").body()).isEqualTo("refreshed 1 #1");
    app.context().getBean(Cachet.class).softInvalidateTags(List.of("refreshed"));

    HttpResponse<String> stale = app.get("/refreshed/1", "If-None-Match", "\"f-1\"");
    assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
    assertThat(stale.statusCode()).isEqualTo(304);
    until("the refresh to run", () -> tagged().runs("refreshed:1") == 2);
    until("the refreshed response to be stored", () -> {
      try {
        return app.get("/refreshed/1").headers().firstValue("X-Cache").orElseThrow().equals("HIT");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // Polls during the refresh find it running and start no other: one refresh, and it stored.
    assertThat(app.get("/refreshed/1").body()).isEqualTo("refreshed 1 #2");
    assertThat(tagged().runs("refreshed:1")).as("the refresh's response was stored, none other ran").isEqualTo(2);
  }

  @Test
  void requestsPassedOnWithoutStoringKeepTheirValidators() throws Exception {
    // A HEAD alone: nothing is stored from it, so its handler answers it as it came.
    HttpResponse<String> head = app.send("HEAD", "/tagged/head", "If-None-Match", "\"v-head\"");
    assertThat(head.statusCode()).isEqualTo(304);
    assertThat(head.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd-status=304");

    // Bypassed (credentials on a shared route): the handler's own 304.
    HttpResponse<String> bypass = app.get("/tagged/bypass", "If-None-Match", "\"v-bypass\"", "Authorization", "Bearer x");
    assertThat(bypass.statusCode()).isEqualTo(304);
    assertThat(bypass.headers().firstValue("X-Cache")).hasValue("BYPASS");

    // Not a cached route: untouched.
    HttpResponse<String> uncached = app.get("/uncached/1", "If-None-Match", "\"u-1\"");
    assertThat(uncached.statusCode()).isEqualTo(304);
    assertThat(uncached.headers().firstValue("X-Cache")).isEmpty();

    HttpResponse<String> range = app.get("/file/bypass", "Range", "bytes=0-4", "Authorization", "Bearer x");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo("01234");
  }

  /** Waits for {@code condition}, which real requests make true, polling every millisecond up to the bound. */
  private static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + BOUND + " waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
