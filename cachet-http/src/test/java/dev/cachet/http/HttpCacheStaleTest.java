package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpCacheStaleTest extends HttpCacheFixture {
  private final TestOrigin origin = new TestOrigin();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  HttpCacheStaleTest() {
    // Generous waits: they end as soon as the refresh shows up, and CI machines can be slow.
    reconfigure(HttpCacheConfig.builder().revalidationWait(Duration.ofSeconds(10)).build());
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private HttpCacheResult read(RoutePolicy route) throws Exception {
    return http.handleRead(get("/s"), route, origin);
  }

  /** Polls until a read is a hit, or fails after a deadline: the refresh is written in the background. */
  private HttpCacheResult awaitHit(RoutePolicy route) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      HttpCacheResult r = read(route);
      if (r.xCache() == XCache.HIT || System.nanoTime() > deadline) {
        return r;
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void staleWhileRevalidateServesStaleThenTheRequestThreadRefreshes() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(25));
    origin.body = "{\"n\":2}";
    HttpCacheResult stale = read(route);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(stale.cacheStatus()).isEqualTo("Cachet; hit; ttl=-15; detail=stale");
    assertThat(stale.headers().first("Age")).isEqualTo("25");
    assertThat(text(stale)).isEqualTo("{\"n\":1}");
    assertThat(stale.needsRevalidation()).isTrue();
    assertThat(origin.runs()).isEqualTo(1);

    assertThat(stale.revalidate(origin)).isTrue();
    assertThat(origin.runs()).isEqualTo(2);
    assertThat(origin.lastForward.mode()).isEqualTo(Forward.Mode.DETACHED);
    assertThat(origin.client.committed()).as("a detached run never writes to a client").isFalse();

    HttpCacheResult fresh = awaitHit(route);
    assertThat(fresh.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(fresh)).isEqualTo("{\"n\":2}");
    assertThat(fresh.headers().first("Age")).isEqualTo("0");
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void onlyOneStaleRequestRefreshes() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    HttpCacheResult first = read(route);
    HttpCacheResult second = read(route);
    assertThat(second.xCache()).isEqualTo(XCache.STALE);
    assertThat(first.revalidate(origin)).isTrue();
    assertThat(second.revalidate(origin)).isFalse();
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void aHeadStaleHitLeavesTheRefreshToAGet() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    HttpCacheResult head = http.handleRead(request("HEAD", "/s", null), route, origin);
    assertThat(head.xCache()).isEqualTo(XCache.STALE);
    assertThat(head.needsRevalidation()).isFalse();
    assertThat(head.revalidate(origin)).isFalse();
    HttpCacheResult get = read(route);
    assertThat(get.revalidate(origin)).as("the refresh the HEAD started is served by a GET").isTrue();
    assertThat(text(awaitHit(route))).isEqualTo("{\"n\":1}");
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void aRevalidationResponseThatMayNotBeStoredLeavesTheStaleEntry() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.headers = HttpHeaders.of("Set-Cookie", "x=1");
    assertThat(read(route).revalidate(origin)).isTrue();
    HttpCacheResult after = read(route);
    assertThat(after.headers().first("X-Run")).isEqualTo("1");
    assertThat(after.headers().contains("Set-Cookie")).isFalse();
  }

  @Test
  void staleIfErrorServesTheStaleResponseWhenTheHandlerThrows() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.failure = new IllegalStateException("database down");
    HttpCacheResult r = read(route);
    assertThat(r.xCache()).isEqualTo(XCache.STALE);
    assertThat(r.cacheStatus()).isEqualTo("Cachet; fwd=stale; detail=stale-if-error");
    assertThat(text(r)).isEqualTo("{\"n\":1}");
    assertThat(r.needsRevalidation()).isFalse();
  }

  @Test
  void staleIfErrorServesTheStaleResponseInsteadOfA5xx() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.status = 503;
    HttpCacheResult r = read(route);
    assertThat(r.xCache()).isEqualTo(XCache.STALE);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.cacheStatus()).isEqualTo("Cachet; fwd=stale; fwd-status=503; detail=stale-if-error");
    // Past the window the error goes through, and is not stored.
    clock.advance(Duration.ofSeconds(60));
    HttpCacheResult late = read(route);
    assertThat(late.status()).isEqualTo(503);
    assertThat(late.xCache()).isEqualTo(XCache.MISS);
    assertThat(late.cacheStatus()).isEqualTo("Cachet; fwd=uri-miss; fwd-status=503; detail=status");
  }

  @Test
  void aClientsNoCacheDuringAnOutageLeavesTheStaleCopyForEveryoneElse() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.status = 503;
    // A browser's hard reload: the client asked for the origin, and gets its answer.
    HttpCacheResult reload = http.handleRead(
        HttpRequestView.builder("GET", "/s").header("Cache-Control", "no-cache").build(), route, origin);
    assertThat(reload.xCache()).isEqualTo(XCache.SKIP);
    assertThat(reload.status()).isEqualTo(503);
    HttpCacheResult after = read(route);
    assertThat(after.xCache()).as("the stale copy is still there").isEqualTo(XCache.STALE);
    assertThat(after.status()).isEqualTo(200);
    assertThat(text(after)).isEqualTo("{\"n\":1}");
  }

  @Test
  void aClientsNoCacheReplacesAFreshEntryOnlyOnceItsResponseIsThere() throws Exception {
    RoutePolicy route = RoutePolicy.ofTtl(Duration.ofSeconds(10));
    read(route);
    origin.status = 500;
    HttpRequestView reload = HttpRequestView.builder("GET", "/s").header("Cache-Control", "no-cache").build();
    assertThat(http.handleRead(reload, route, origin).status()).isEqualTo(500);
    HttpCacheResult kept = read(route);
    assertThat(kept.xCache()).as("a failed reload takes nothing away").isEqualTo(XCache.HIT);
    origin.status = 200;
    origin.body = "{\"n\":2}";
    HttpCacheResult reloaded = http.handleRead(reload, route, origin);
    assertThat(reloaded.xCache()).isEqualTo(XCache.SKIP);
    assertThat(text(reloaded)).isEqualTo("{\"n\":2}");
    HttpCacheResult hit = read(route);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(hit)).isEqualTo("{\"n\":2}");
    assertThat(origin.runs()).isEqualTo(3);
  }

  @Test
  void aResponseThatSaysMustRevalidateIsNeverServedStale() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).staleIfError(Duration.ofSeconds(60)).build();
    for (String directive : new String[] {"max-age=10, must-revalidate", "proxy-revalidate"}) {
      origin.headers = HttpHeaders.of("Content-Type", "application/json", "Cache-Control", directive);
      HttpRequestView request = get("/mr" + directive.length());
      http.handleRead(request, route, origin);
      assertThat(http.handleRead(request, route, origin).xCache()).as(directive).isEqualTo(XCache.HIT);
      clock.advance(Duration.ofSeconds(20));
      assertThat(http.handleRead(request, route, origin).xCache()).as(directive).isEqualTo(XCache.MISS);
      origin.status = 503;
      clock.advance(Duration.ofSeconds(20));
      assertThat(http.handleRead(request, route, origin).status()).as(directive).isEqualTo(503);
      origin.status = 200;
    }
  }

  @Test
  void aNon5xxErrorIsNotReplacedByStale() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.status = 404;
    assertThat(read(route).status()).isEqualTo(404);
  }

  @Test
  void withoutStaleIfErrorTheFailureReachesTheCaller() throws Exception {
    RoutePolicy route = RoutePolicy.ofTtl(Duration.ofSeconds(10));
    read(route);
    clock.advance(Duration.ofSeconds(20));
    origin.failure = new IllegalStateException("database down");
    assertThatThrownBy(() -> read(route)).hasMessage("database down");
  }

  @Test
  void aRefreshNobodyServesFailsQuietlyAndTheEntryStaysStale() throws Exception {
    // A stale hit that finds the abandoned refresh still ending starts none, and its revalidate()
    // waits this long in vain: short, so that the loop below tries again.
    reconfigure(HttpCacheConfig.builder().revalidationTimeout(Duration.ofMillis(50))
        .revalidationWait(Duration.ofMillis(500)).build());
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    HttpCacheResult ignored = read(route); // its revalidate() is never called
    assertThat(ignored.xCache()).isEqualTo(XCache.STALE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cachet.stats().loads() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(cachet.stats().loads()).as("the abandoned refresh gave up, storing nothing").isEqualTo(2);
    assertThat(cachet.stats().loadFailures()).isZero();
    assertThat(origin.runs()).isEqualTo(1);
    assertThat(read(route).headers().first("X-Run")).isEqualTo("1");
    // A later stale hit starts a new refresh and serves it.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean refreshed = false;
    while (!refreshed && System.nanoTime() < deadline) {
      HttpCacheResult r = read(route);
      refreshed = r.xCache() == XCache.STALE && r.revalidate(origin);
    }
    assertThat(refreshed).isTrue();
    assertThat(awaitHit(route).headers().first("X-Run")).isEqualTo("2");
  }

  @Test
  void aMissJoiningAnUnservedRefreshRunsItsOwnHandlerInsteadOfFailing() throws Exception {
    reconfigure(HttpCacheConfig.builder().revalidationTimeout(Duration.ofMillis(200)).build());
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(20)).build();
    read(route);
    clock.advance(Duration.ofSeconds(15));
    assertThat(read(route).xCache()).isEqualTo(XCache.STALE); // revalidate() never called
    clock.advance(Duration.ofSeconds(30)); // past the window: the next read is a miss
    HttpCacheResult miss = read(route);
    assertThat(miss.status()).isEqualTo(200);
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(miss.headers().first("X-Run")).isEqualTo("2");
  }

  @Test
  void revalidationRunsOnTheCallersThread() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    read(route);
    clock.advance(Duration.ofSeconds(20));
    Future<Thread> ran = pool.submit(() -> {
      HttpCacheResult stale = read(route);
      Thread[] seen = new Thread[1];
      stale.revalidate(forward -> {
        seen[0] = Thread.currentThread();
        return origin.proceed(forward);
      });
      return seen[0] == Thread.currentThread() ? Thread.currentThread() : null;
    });
    assertThat(ran.get(10, TimeUnit.SECONDS)).isNotNull();
  }
}
