package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Stale-while-revalidate for a route whose handler answers later: the request that finds the
 * entry stale refreshes it with its own run of the handler, captured as a miss's is, and gets the
 * new response; requests meanwhile get the stale one at once, with nothing to refresh after it;
 * {@code HEAD} never refreshes; a route first met stale learns from its refused background run.
 */
class LaterRefreshTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
      .staleWhileRevalidate(Duration.ofMinutes(1)).build();

  /** Answers later when its forward accepts it and {@link #later} is set; counts its runs. */
  private static final class Handler implements Origin {
    final AtomicInteger runs = new AtomicInteger();
    final BlockingQueue<Later> pending = new LinkedBlockingQueue<>();
    volatile boolean later = true;
    volatile String body = "sync";

    record Later(Forward forward, CompletableFuture<OriginResponse> answer) {
      void answer(String body) throws IOException {
        BodyCapture capture = forward.newBodyCapture(new Client());
        capture.write(body.getBytes(StandardCharsets.UTF_8));
        answer.complete(OriginResponse.of(200, HttpHeaders.of("Content-Type", "text/plain"), capture));
      }
    }

    @Override
    public OriginResponse proceed(Forward forward) throws IOException {
      runs.incrementAndGet();
      BodyCapture capture = forward.newBodyCapture(new Client());
      if (later) {
        if (forward.acceptsLater()) {
          CompletableFuture<OriginResponse> answer = new CompletableFuture<>();
          pending.add(new Later(forward, answer));
          return OriginResponse.later(answer);
        }
        capture.passThroughLater(); // an adapter whose handler went asynchronous
      }
      capture.write(body.getBytes(StandardCharsets.UTF_8));
      return OriginResponse.of(200, HttpHeaders.of("Content-Type", "text/plain"), capture);
    }

    Later next() throws InterruptedException {
      Later l = pending.poll(10, TimeUnit.SECONDS);
      assertThat(l).as("the handler ran").isNotNull();
      return l;
    }
  }

  private final Handler handler = new Handler();

  private CompletableFuture<HttpCacheResult> read(String method) {
    return http.handleReadAsync(request(method, "/r", null), route, handler);
  }

  /** A stored "v1" of a route learned to answer later, now stale (20 s of a 10 s TTL). */
  private void learnedAndStale() throws Exception {
    CompletableFuture<HttpCacheResult> miss = read("GET");
    handler.next().answer("v1");
    assertThat(text(miss.get(10, TimeUnit.SECONDS))).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(20));
  }

  @Test
  void theRequestThatFindsItStaleRefreshesWhileOthersGetTheStaleResponseAtOnce() throws Exception {
    learnedAndStale();
    CompletableFuture<HttpCacheResult> refresher = read("GET");
    Handler.Later refresh = handler.next();
    assertThat(refresh.forward().acceptsLater()).isTrue();
    assertThat(refresh.forward().mode()).isEqualTo(Forward.Mode.CAPTURE);
    assertThat(refresher).isNotDone();

    HttpCacheResult other = read("GET").get(10, TimeUnit.SECONDS);
    assertThat(other.xCache()).isEqualTo(XCache.STALE);
    assertThat(other.cacheStatus()).isEqualTo("Cachet; hit; ttl=-10; detail=stale");
    assertThat(text(other)).isEqualTo("v1");
    assertThat(other.needsRevalidation()).as("no background run of the handler").isFalse();
    assertThat(handler.runs).hasValue(2);

    refresh.answer("v2");
    HttpCacheResult fresh = refresher.get(10, TimeUnit.SECONDS);
    assertThat(fresh.xCache()).isEqualTo(XCache.MISS);
    assertThat(fresh.cacheStatus()).isEqualTo("Cachet; fwd=stale; fwd-status=200; stored");
    assertThat(text(fresh)).isEqualTo("v2");
    HttpCacheResult hit = read("GET").get(10, TimeUnit.SECONDS);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(hit)).isEqualTo("v2");
    assertThat(handler.runs).hasValue(2);
  }

  @Test
  void aRefreshThatAnswers5xxInsideTheWindowGetsTheStaleResponse() throws Exception {
    learnedAndStale();
    CompletableFuture<HttpCacheResult> refresher = read("GET");
    Handler.Later refresh = handler.next();
    BodyCapture capture = refresh.forward().newBodyCapture(new Client());
    capture.write("down".getBytes(StandardCharsets.UTF_8));
    refresh.answer().complete(OriginResponse.of(503, HttpHeaders.of("Content-Type", "text/plain"), capture));
    HttpCacheResult r = refresher.get(10, TimeUnit.SECONDS);
    assertThat(r.xCache()).as("no stale-if-error, but inside stale-while-revalidate").isEqualTo(XCache.STALE);
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("v1");
    // The entry stays stale: the next request refreshes it.
    CompletableFuture<HttpCacheResult> again = read("GET");
    handler.next().answer("v2");
    assertThat(text(again.get(10, TimeUnit.SECONDS))).isEqualTo("v2");
  }

  @Test
  void aHeadRequestGetsTheStaleResponseAndLeavesTheRefreshToAGet() throws Exception {
    learnedAndStale();
    HttpCacheResult head = read("HEAD").get(10, TimeUnit.SECONDS);
    assertThat(head.xCache()).isEqualTo(XCache.STALE);
    assertThat(head.needsRevalidation()).isFalse();
    assertThat(handler.runs).hasValue(1);

    CompletableFuture<HttpCacheResult> refresher = read("GET");
    handler.next().answer("v2");
    assertThat(text(refresher.get(10, TimeUnit.SECONDS))).isEqualTo("v2");
  }

  @Test
  void aLearnedRouteWhoseHandlerAnswersAtOnceIsRefreshedToo() throws Exception {
    learnedAndStale();
    handler.later = false;
    handler.body = "at once";
    HttpCacheResult fresh = read("GET").get(10, TimeUnit.SECONDS);
    assertThat(fresh.xCache()).isEqualTo(XCache.MISS);
    assertThat(text(fresh)).isEqualTo("at once");
    assertThat(read("GET").get(10, TimeUnit.SECONDS).xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void aRouteFirstMetStaleLearnsFromItsRefusedBackgroundRunAndRefreshesInTheForegroundAfter() throws Exception {
    learnedAndStale();
    // Another cache over the same store: it has never seen this route's handler.
    HttpCache fresh = HttpCache.builder(cachet).clock(clock)
        .config(HttpCacheConfig.builder().revalidationWait(Duration.ofSeconds(10)).build()).build();
    HttpCacheResult stale = fresh.handleReadAsync(get("/r"), route, handler).get(10, TimeUnit.SECONDS);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(stale.needsRevalidation()).isTrue();
    assertThat(stale.revalidate(handler)).isTrue(); // its handler goes asynchronous: refused
    assertThat(handler.runs).hasValue(2);

    // The failed background refresh ends on its own thread just after: until then, stale.
    CompletableFuture<HttpCacheResult> refresher;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      refresher = fresh.handleReadAsync(get("/r"), route, handler);
    } while (refresher.isDone() && refresher.get().xCache() == XCache.STALE && System.nanoTime() < deadline);
    assertThat(refresher).as("refreshes in the foreground").isNotDone();
    handler.next().answer("v2");
    HttpCacheResult refreshed = refresher.get(10, TimeUnit.SECONDS);
    assertThat(text(refreshed)).isEqualTo("v2");
    assertThat(refreshed.cacheStatus()).contains("fwd=stale");
  }

  @Test
  void aSynchronousRouteStillRefreshesInTheBackgroundAfterItsStaleResponse() throws Exception {
    handler.later = false;
    read("GET").get(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(20));
    handler.body = "refreshed";
    HttpCacheResult stale = read("GET").get(10, TimeUnit.SECONDS);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(stale.needsRevalidation()).isTrue();
  }
}
