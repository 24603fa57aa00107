package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpCache#handleReadAsync}: a handler that answers after its request thread returned
 * ({@link OriginResponse#later}) is stored once its response arrives, and served like any other;
 * its failures are never stored.
 */
class LaterResponsesTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(5));

  /** An origin whose every run answers later; the test completes each answer. */
  private static final class LaterOrigin implements Origin {
    final AtomicInteger runs = new AtomicInteger();
    volatile CompletableFuture<OriginResponse> answer = new CompletableFuture<>();
    volatile Forward forward;

    @Override
    public OriginResponse proceed(Forward f) {
      runs.incrementAndGet();
      forward = f;
      answer = new CompletableFuture<>();
      return OriginResponse.later(answer);
    }

    /** Completes the last run with {@code status} and {@code body}, written through its forward's capture. */
    void answer(int status, String body) throws IOException {
      BodyCapture capture = forward.newBodyCapture(new Client());
      capture.write(body.getBytes(StandardCharsets.UTF_8));
      answer.complete(OriginResponse.of(status, HttpHeaders.of("Content-Type", "text/plain"), capture));
    }
  }

  private final LaterOrigin origin = new LaterOrigin();

  @Test
  void aMissAnsweredLaterIsStoredWhenItsResponseArrives() throws Exception {
    CompletableFuture<HttpCacheResult> miss = http.handleReadAsync(get("/a"), route, origin);
    assertThat(origin.forward.acceptsLater()).isTrue();
    assertThat(miss).isNotDone();
    origin.answer(200, "later");

    HttpCacheResult r = miss.get(10, TimeUnit.SECONDS);
    assertThat(r.xCache()).isEqualTo(XCache.MISS);
    assertThat(text(r)).isEqualTo("later");
    assertThat(r.cacheStatus()).contains("stored");
    String etag = r.headers().first("ETag");
    assertThat(etag).isNotNull();

    HttpCacheResult hit = http.handleReadAsync(get("/a"), route, origin).get(10, TimeUnit.SECONDS);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(hit)).isEqualTo("later");
    assertThat(hit.headers().first("ETag")).isEqualTo(etag);
    assertThat(origin.runs).hasValue(1);
  }

  @Test
  void aLaterFailureFailsTheResultAndNothingIsStored() throws Exception {
    CompletableFuture<HttpCacheResult> miss = http.handleReadAsync(get("/a"), route, origin);
    IOException broken = new IOException("the connection to the database broke");
    origin.answer.completeExceptionally(broken);
    assertThatThrownBy(() -> miss.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseReference(broken);

    CompletableFuture<HttpCacheResult> next = http.handleReadAsync(get("/a"), route, origin);
    assertThat(origin.runs).hasValue(2);
    origin.answer(200, "recovered");
    assertThat(text(next.get(10, TimeUnit.SECONDS))).isEqualTo("recovered");
  }

  @Test
  void aLaterServerErrorIsNotStoredAndAStaleResponseMayReplaceIt() throws Exception {
    RoutePolicy tolerant = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofMinutes(5)).build();
    CompletableFuture<HttpCacheResult> first = http.handleReadAsync(get("/a"), tolerant, origin);
    origin.answer(200, "good");
    assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("good");
    clock.advance(Duration.ofSeconds(20));

    CompletableFuture<HttpCacheResult> failing = http.handleReadAsync(get("/a"), tolerant, origin);
    origin.answer(503, "down");
    HttpCacheResult stale = failing.get(10, TimeUnit.SECONDS);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(text(stale)).isEqualTo("good");
    assertThat(stale.cacheStatus()).contains("stale-if-error");

    CompletableFuture<HttpCacheResult> uncovered = http.handleReadAsync(get("/b"), route, origin);
    origin.answer(503, "down");
    assertThat(uncovered.get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
    int runs = origin.runs.get();
    http.handleReadAsync(get("/b"), route, origin); // the 503 was not stored: the handler runs
    assertThat(origin.runs).hasValue(runs + 1);
  }

  @Test
  void aConcurrentMissWaitsForTheLaterResponseAndSharesIt() throws Exception {
    CompletableFuture<HttpCacheResult> first = http.handleReadAsync(get("/a"), route, origin);
    CompletableFuture<HttpCacheResult> second = new CompletableFuture<>();
    Thread waiting = new Thread(() -> http.handleReadAsync(get("/a"), route, origin)
        .whenComplete((r, e) -> second.complete(r)));
    waiting.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiting.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(waiting.getState()).isEqualTo(Thread.State.TIMED_WAITING);

    origin.answer(200, "shared");
    assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("shared");
    HttpCacheResult joined = second.get(10, TimeUnit.SECONDS);
    assertThat(text(joined)).isEqualTo("shared");
    assertThat(joined.cacheStatus()).contains("collapsed");
    assertThat(origin.runs).hasValue(1);
  }

  @Test
  void onlyACachedMissMayBeAnsweredLater() throws Exception {
    assertThatThrownBy(() -> http.handleRead(get("/a"), route, origin))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not accept");
    TestOrigin plain = new TestOrigin();
    http.handleReadAsync(HttpRequestView.builder("GET", "/c").header("Authorization", "Bearer x").build(), route, plain)
        .get(10, TimeUnit.SECONDS);
    assertThat(plain.lastForward.acceptsLater()).isFalse();
  }
}
