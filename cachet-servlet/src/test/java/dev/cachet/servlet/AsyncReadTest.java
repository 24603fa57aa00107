package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cached reads whose handler goes asynchronous and writes its response in a later ASYNC dispatch,
 * as frameworks do once the handler's result is there: with {@code asyncReads} on, the response
 * is captured whole there and stored; a failure there is not; concurrent misses wait for it
 * without threads; a stale entry is refreshed by one request's own run of the handler while the
 * others get it stale at once. Jetty on a real port; the test dispatches.
 */
class AsyncReadTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger runs = new AtomicInteger();
  /** The requests that went asynchronous, waiting for the test to dispatch them. */
  private final BlockingQueue<AsyncContext> waiting = new LinkedBlockingQueue<>();
  /** The thread of each dispatch, as it enters the filters. */
  private final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
  /** REQUEST dispatches that left their request asynchronous before its handler ran: waiting without a thread. */
  private final AtomicInteger parked = new AtomicInteger();
  /** Whether the handler answers at once rather than later. */
  private final AtomicBoolean atOnce = new AtomicBoolean();
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
        .get("/swr-or-stale", RoutePolicy.builder().ttl(Duration.ofSeconds(10))
            .staleWhileRevalidate(Duration.ofMinutes(1)).staleIfError(Duration.ofMinutes(1)).build())
        .build();
    jetty = new Jetty(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), entered(),
        CachetFilter.builder(http).routes(routes).asyncReads(request -> true).build());
    jetty.on("GET /later", later()).on("GET /later-or-stale", later()).on("GET /swr-or-stale", later());
  }

  /** Notes each dispatch's thread, and each REQUEST dispatch that leaves its request waiting. */
  private Filter entered() {
    return (request, response, chain) -> {
      threads.add(Thread.currentThread());
      chain.doFilter(request, response);
      if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()
          && request.getAttribute("ran") == null) {
        parked.incrementAndGet();
      }
    };
  }

  /** Goes asynchronous, as Spring does (on the filter's response); its ASYNC dispatch writes the value set. */
  private Jetty.Handler later() {
    return (req, res) -> {
      if (req.getDispatcherType() == DispatcherType.ASYNC) {
        if (req.getAttribute("fail") != null) {
          throw new IllegalStateException("the result was a failure");
        }
        res.setContentType("text/plain");
        res.getWriter().write((String) req.getAttribute("value"));
        return;
      }
      runs.incrementAndGet();
      req.setAttribute("ran", true);
      if (atOnce.get()) {
        res.setContentType("text/plain");
        res.getWriter().write("at once");
        return;
      }
      waiting.add(req.startAsync(req, res));
    };
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
    CompletableFuture<HttpResponse<String>> second = get();
    Poll.until(Duration.ofSeconds(10), "the second request to wait for the first", () -> parked.get() == 1);

    abandoned.complete(); // no dispatch: its handler never wrote a response
    assertThat(first.get(10, TimeUnit.SECONDS).body()).isEmpty();
    dispatchNext("its own");
    HttpResponse<String> own = second.get(10, TimeUnit.SECONDS);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).isEqualTo("its own");
    assertThat(runs).hasValue(2);
  }

  @Test
  void ofConcurrentStaleRequestsOneRefreshesWithItsOwnRunAndTheOthersGetTheStaleResponseAtOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get();
    dispatchNext("first");
    assertThat(miss.get(10, TimeUnit.SECONDS).body()).isEqualTo("first");
    clock.advance(Duration.ofSeconds(20)); // stale, inside stale-while-revalidate

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      responses.add(get());
    }
    AsyncContext refresh = waiting.poll(10, TimeUnit.SECONDS);
    assertThat(refresh).as("one request refreshes").isNotNull();
    Poll.until(Duration.ofSeconds(10), "every other request to be answered",
        () -> responses.stream().filter(CompletableFuture::isDone).count() == 7);
    CompletableFuture<HttpResponse<String>> refresher = null;
    for (CompletableFuture<HttpResponse<String>> r : responses) {
      if (!r.isDone()) {
        refresher = r;
        continue;
      }
      assertThat(r.get().body()).isEqualTo("first");
      assertThat(xCache(r.get())).isEqualTo("STALE");
      assertThat(r.get().headers().firstValue("Cache-Status")).hasValue("Cachet; hit; ttl=-10; detail=stale");
    }
    assertThat(runs).as("the handler ran for the refresh alone").hasValue(2);
    assertThat(waiting).isEmpty();

    refresh.getRequest().setAttribute("value", "refreshed");
    refresh.dispatch();
    HttpResponse<String> refreshed = refresher.get(10, TimeUnit.SECONDS);
    assertThat(refreshed.body()).isEqualTo("refreshed");
    assertThat(xCache(refreshed)).isEqualTo("MISS");
    assertThat(refreshed.headers().firstValue("Cache-Status")).hasValue("Cachet; fwd=stale; fwd-status=200; stored");
    HttpResponse<String> hit = jetty.send("GET", "/later");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("refreshed");
    assertThat(runs).hasValue(2);
  }

  @Test
  void aRefreshWhoseDispatchFailsIsAnsweredStaleInsideStaleIfErrorAndTheNextRequestRefreshes() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get("/swr-or-stale");
    dispatchNext("first");
    assertThat(miss.get(10, TimeUnit.SECONDS).body()).isEqualTo("first");
    clock.advance(Duration.ofSeconds(20));

    CompletableFuture<HttpResponse<String>> failing = get("/swr-or-stale");
    dispatchNext(null); // its ASYNC dispatch throws
    HttpResponse<String> stale = failing.get(10, TimeUnit.SECONDS);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("first");
    assertThat(stale.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=stale-if-error");

    CompletableFuture<HttpResponse<String>> again = get("/swr-or-stale");
    dispatchNext("second");
    assertThat(again.get(10, TimeUnit.SECONDS).body()).isEqualTo("second");
    assertThat(jetty.send("GET", "/swr-or-stale").body()).isEqualTo("second");
    assertThat(runs).hasValue(3);
  }

  @Test
  void aRouteThatAnsweredLaterIsRefreshedWhenItsHandlerAnswersAtOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> miss = get();
    dispatchNext("first");
    assertThat(miss.get(10, TimeUnit.SECONDS).body()).isEqualTo("first");
    clock.advance(Duration.ofSeconds(20));

    atOnce.set(true);
    HttpResponse<String> refreshed = jetty.send("GET", "/later");
    assertThat(refreshed.body()).isEqualTo("at once");
    assertThat(refreshed.headers().firstValue("Cache-Status")).hasValue("Cachet; fwd=stale; fwd-status=200; stored");
    HttpResponse<String> hit = jetty.send("GET", "/later");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("at once");
  }

  @Test
  void aHerdOfMissesLargerThanThePoolWaitsWithoutThreadsAndOneHandlerRunAnswersIt() throws Exception {
    int herd = 40; // a pool of 8 threads serves requests on 6
    try (Cachet patient = Cachet.builder().store(MemoryStore.create()).maxWait(Duration.ofMinutes(1)).build();
        Jetty small = new Jetty(8, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), entered(),
            CachetFilter.builder(HttpCache.builder(patient).build())
                .routes(RouteTable.builder().get("/herd", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build())
                .asyncReads(request -> true).build())) {
      small.on("GET /herd", later());
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < herd; i++) {
        responses.add(small.client().sendAsync(small.request("GET", "/herd"), HttpResponse.BodyHandlers.ofString()));
      }
      AsyncContext leader = waiting.poll(10, TimeUnit.SECONDS);
      assertThat(leader).as("the handler ran").isNotNull();
      Poll.until(Duration.ofSeconds(20), "every other request to wait without its thread",
          () -> parked.get() == herd - 1);

      long answering = System.nanoTime();
      leader.getRequest().setAttribute("value", "for everyone");
      leader.dispatch(); // needs a thread of the pool: none is held by a waiting request
      for (CompletableFuture<HttpResponse<String>> r : responses) {
        HttpResponse<String> answer = r.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("for everyone");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - answering)).as("bounded by the handler, not max-wait")
          .isLessThan(Duration.ofSeconds(20));
      assertThat(runs).hasValue(1);
      assertThat(small.send("GET", "/herd").headers().firstValue("X-Cache")).hasValue("HIT");
    }
  }
}
