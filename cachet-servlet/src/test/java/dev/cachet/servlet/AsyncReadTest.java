package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cached reads whose handler goes asynchronous and writes its response in a later ASYNC dispatch,
 * as frameworks do once the handler's result is there: with {@code asyncReads} on, the response
 * is captured whole there and stored; a failure there is not; a background refresh cannot run
 * such a handler and leaves the stale entry. Jetty on a real port; the test dispatches.
 */
class AsyncReadTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger runs = new AtomicInteger();
  /** The requests that went asynchronous, waiting for the test to dispatch them. */
  private final BlockingQueue<AsyncContext> waiting = new LinkedBlockingQueue<>();
  /** The thread of each dispatch, as it enters the filters. */
  private final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
  private Cachet cachet;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock).build();
    HttpCache http = HttpCache.builder(cachet).clock(clock)
        .config(HttpCacheConfig.builder().revalidationWait(Duration.ofSeconds(10)).build())
        .build();
    RouteTable routes = RouteTable.builder()
        .get("/later", RoutePolicy.builder().ttl(Duration.ofSeconds(10))
            .staleWhileRevalidate(Duration.ofMinutes(1)).build())
        .get("/later-or-stale", RoutePolicy.builder().ttl(Duration.ofSeconds(10))
            .staleIfError(Duration.ofMinutes(1)).build())
        .build();
    Filter entered = (request, response, chain) -> {
      threads.add(Thread.currentThread());
      chain.doFilter(request, response);
    };
    jetty = new Jetty(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), entered,
        CachetFilter.builder(http).routes(routes).asyncReads(request -> true).build());
    Jetty.Handler later = (req, res) -> {
      if (req.getDispatcherType() == DispatcherType.ASYNC) {
        if (req.getAttribute("fail") != null) {
          throw new IllegalStateException("the result was a failure");
        }
        res.setContentType("text/plain");
        res.getWriter().write((String) req.getAttribute("value"));
        return;
      }
      runs.incrementAndGet();
      waiting.add(req.startAsync(req, res)); // as Spring does: the filter's response
    };
    jetty.on("GET /later", later).on("GET /later-or-stale", later);
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  /** Dispatches the next waiting request, whose ASYNC dispatch writes {@code value} (or fails, for {@code null}). */
  private void dispatchNext(String value) throws InterruptedException {
    AsyncContext async = waiting.poll(10, TimeUnit.SECONDS);
    assertThat(async).as("a request went asynchronous").isNotNull();
    async.getRequest().setAttribute(value == null ? "fail" : "value", value == null ? true : value);
    async.dispatch();
  }

  private CompletableFuture<HttpResponse<String>> get() {
    return get("/later");
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return jetty.client().sendAsync(jetty.request("GET", path), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLaterDispatchThatFailsIsAnsweredStaleWhereStaleIfErrorAllowsIt() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get("/later-or-stale");
    dispatchNext("stored");
    assertThat(miss.get(10, TimeUnit.SECONDS).body()).isEqualTo("stored");
    clock.advance(Duration.ofSeconds(20)); // expired, within stale-if-error

    CompletableFuture<HttpResponse<String>> failing = get("/later-or-stale");
    dispatchNext(null); // its ASYNC dispatch throws
    HttpResponse<String> answer = failing.get(10, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("stored");
    assertThat(xCache(answer)).isEqualTo("STALE");
  }

  @Test
  void aResponseWrittenInALaterDispatchIsStored() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get();
    dispatchNext("written later");
    HttpResponse<String> first = miss.get(10, TimeUnit.SECONDS);
    assertThat(first.body()).isEqualTo("written later");
    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(first.headers().firstValue("ETag")).isPresent();

    HttpResponse<String> hit = jetty.send("GET", "/later");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("written later");
    assertThat(hit.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aLaterDispatchThatFailsStoresNothing() throws Exception {
    CompletableFuture<HttpResponse<String>> failing = get();
    dispatchNext(null);
    assertThat(failing.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(500);

    CompletableFuture<HttpResponse<String>> next = get();
    dispatchNext("recovered");
    assertThat(next.get(10, TimeUnit.SECONDS).body()).isEqualTo("recovered");
    assertThat(runs).hasValue(2);
  }

  @Test
  void aRequestThatEndsWithoutItsDispatchStoresNothingAndWhoWaitedForItRunsItsOwnHandler() throws Exception {
    CompletableFuture<HttpResponse<String>> first = get();
    AsyncContext abandoned = waiting.poll(10, TimeUnit.SECONDS);
    assertThat(abandoned).isNotNull();
    threads.clear();
    CompletableFuture<HttpResponse<String>> second = get();
    Thread joiner = threads.poll(10, TimeUnit.SECONDS);
    assertThat(joiner).isNotNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (joiner.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // until it waits for the first request's response
    }
    assertThat(joiner.getState()).isEqualTo(Thread.State.TIMED_WAITING);

    abandoned.complete(); // no dispatch: its handler never wrote a response
    assertThat(first.get(10, TimeUnit.SECONDS).body()).isEmpty();
    dispatchNext("its own");
    HttpResponse<String> own = second.get(10, TimeUnit.SECONDS);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).isEqualTo("its own");
    assertThat(runs).hasValue(2);
  }

  @Test
  void aBackgroundRefreshOfAnAsynchronousHandlerKeepsTheStaleResponse() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get();
    dispatchNext("first");
    assertThat(miss.get(10, TimeUnit.SECONDS).body()).isEqualTo("first");
    clock.advance(Duration.ofSeconds(20));

    // Stale: served at once, then the handler runs for the refresh, on the request's thread,
    // and goes asynchronous: a refresh cannot wait for that, and must not store an empty body.
    CompletableFuture<HttpResponse<String>> stale = get();
    dispatchNext("refreshed"); // its later dispatch writes to nobody
    HttpResponse<String> staleResponse = stale.get(10, TimeUnit.SECONDS);
    assertThat(xCache(staleResponse)).isEqualTo("STALE");
    assertThat(staleResponse.body()).isEqualTo("first");
    assertThat(runs).hasValue(2);

    HttpResponse<String> after = jetty.send("GET", "/later");
    assertThat(after.body()).isEqualTo("first");
    assertThat(xCache(after)).isEqualTo("STALE");
  }
}
