package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.InvalidationPolicy;
import dev.cachet.http.RoutePolicy;
import dev.cachet.http.XCache;
import jakarta.servlet.AsyncContext;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a write invalidates: once its status is final and before the client sees it, also when
 * its body is too large to buffer and when it completes asynchronously. Jetty on a real port.
 */
class WriteTimingTest {
  private static final int CAP = 64 * 1024;

  private final AtomicInteger version = new AtomicInteger();
  /** The statuses the write listener was told, in order. */
  private final List<Integer> told = new CopyOnWriteArrayList<>();
  /** Counted down when the filter is done with a write's request (for async ones, before they complete). */
  private final CountDownLatch writeFiltered = new CountDownLatch(1);
  private Cachet cachet;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder().maxBodyBytes(CAP).build())
        .build();
    RouteTable routes = RouteTable.builder()
        .get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5)))
        .write("/**", InvalidationPolicy.builder().build())
        .build();
    jetty = new Jetty(CachetFilter.builder(http).routes(routes)
        .writeListener((request, status) -> told.add(status))
        .listener((route, result, nanos) -> {
          if (result == XCache.BYPASS) {
            writeFiltered.countDown();
          }
        })
        .build());
    jetty.on("GET /items/1", (req, res) -> res.getWriter().write("item v" + version.get()));
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  private void cacheTheItem() throws Exception {
    jetty.send("GET", "/items/1");
    assertThat(xCache(jetty.send("GET", "/items/1"))).isEqualTo("HIT");
  }

  @Test
  void aWriteWhoseBodyExceedsTheCapInvalidatesBeforeItsFirstByteLeaves() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    jetty.on("PUT /items/1", (req, res) -> {
      version.incrementAndGet();
      byte[] chunk = new byte[CAP];
      res.getOutputStream().write(chunk);
      res.getOutputStream().write(chunk); // over the cap: from here the body goes to the client
      res.flushBuffer();
      finish.await(10, TimeUnit.SECONDS); // the handler has not returned yet
    });
    cacheTheItem();
    CompletableFuture<HttpResponse<InputStream>> put = jetty.client()
        .sendAsync(jetty.request("PUT", "/items/1"), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> started = put.get(10, TimeUnit.SECONDS); // its status and headers arrived
    try {
      assertThat(started.statusCode()).isEqualTo(200);
      assertThat(told).containsExactly(200);
      HttpResponse<String> during = jetty.send("GET", "/items/1");
      assertThat(xCache(during)).isEqualTo("MISS");
      assertThat(during.body()).isEqualTo("item v1");
    } finally {
      finish.countDown();
    }
    try (InputStream body = started.body()) {
      assertThat(body.readAllBytes()).hasSize(2 * CAP);
    }
    assertThat(told).containsExactly(200);
  }

  @Test
  void aWriteWhoseLargeBodyFailsInvalidatesNothing() throws Exception {
    jetty.on("PUT /items/1", (req, res) -> {
      res.setStatus(500);
      res.getOutputStream().write(new byte[2 * CAP]);
    });
    cacheTheItem();
    HttpResponse<String> failed = jetty.send("PUT", "/items/1");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body().getBytes(StandardCharsets.ISO_8859_1)).hasSize(2 * CAP);
    assertThat(xCache(jetty.send("GET", "/items/1"))).isEqualTo("HIT");
    assertThat(told).containsExactly(500);
  }

  /** A write that completes on another thread once {@code finish} opens, with {@code status}. */
  private void asyncWrite(CountDownLatch finish, int status) {
    jetty.on("PUT /items/1", (req, res) -> {
      AsyncContext async = req.startAsync(req, res); // as Spring does: the filter's response
      new Thread(() -> {
        try {
          finish.await(10, TimeUnit.SECONDS);
          if (status < 300) {
            version.incrementAndGet();
          }
          var response = (jakarta.servlet.http.HttpServletResponse) async.getResponse();
          response.setStatus(status);
          response.setContentType("text/plain");
          response.getWriter().write("written with " + status);
          response.flushBuffer();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          async.complete();
        }
      }).start();
    });
  }

  @Test
  void anAsynchronousWriteInvalidatesWhenItCompletesAndNotBefore() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    asyncWrite(finish, 200);
    cacheTheItem();
    CompletableFuture<HttpResponse<String>> put = jetty.client()
        .sendAsync(jetty.request("PUT", "/items/1"), HttpResponse.BodyHandlers.ofString());
    assertThat(writeFiltered.await(10, TimeUnit.SECONDS)).isTrue(); // the filter returned; the write goes on
    assertThat(told).isEmpty();
    HttpResponse<String> during = jetty.send("GET", "/items/1");
    assertThat(during.body()).isEqualTo("item v0");
    finish.countDown();
    HttpResponse<String> written = put.get(10, TimeUnit.SECONDS);
    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).isEqualTo("written with 200");
    assertThat(written.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    HttpResponse<String> after = jetty.send("GET", "/items/1");
    assertThat(xCache(after)).isEqualTo("MISS");
    assertThat(after.body()).isEqualTo("item v1");
    assertThat(told).containsExactly(200);
  }

  @Test
  void aFailedAsynchronousWriteInvalidatesNothing() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    asyncWrite(finish, 500);
    cacheTheItem();
    CompletableFuture<HttpResponse<String>> put = jetty.client()
        .sendAsync(jetty.request("PUT", "/items/1"), HttpResponse.BodyHandlers.ofString());
    assertThat(writeFiltered.await(10, TimeUnit.SECONDS)).isTrue();
    finish.countDown();
    assertThat(put.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    assertThat(xCache(jetty.send("GET", "/items/1"))).isEqualTo("HIT");
    assertThat(told).containsExactly(500);
  }

  @Test
  void aWritesLocationIsInvalidatedTooWhetherBufferedPassedThroughOrAsynchronous() throws Exception {
    jetty.on("POST /orders", (req, res) -> {
      version.incrementAndGet();
      res.setStatus(201);
      res.setHeader("Location", "/items/1");
    });
    cacheTheItem();
    assertThat(jetty.send("POST", "/orders").statusCode()).isEqualTo(201);
    assertThat(jetty.send("GET", "/items/1").body()).isEqualTo("item v1");

    jetty.on("POST /orders", (req, res) -> {
      version.incrementAndGet();
      res.setHeader("Content-Location", "http://127.0.0.1/items/1");
      res.getOutputStream().write(new byte[2 * CAP]); // passes through: invalidated at its first byte
    });
    cacheTheItem();
    assertThat(jetty.send("POST", "/orders").statusCode()).isEqualTo(200);
    assertThat(jetty.send("GET", "/items/1").body()).isEqualTo("item v2");

    jetty.on("POST /orders", (req, res) -> {
      AsyncContext async = req.startAsync(req, res);
      new Thread(() -> {
        version.incrementAndGet();
        var response = (jakarta.servlet.http.HttpServletResponse) async.getResponse();
        response.setStatus(201);
        response.setHeader("Location", "items/1"); // relative to /orders
        async.complete();
      }).start();
    });
    cacheTheItem();
    assertThat(jetty.send("POST", "/orders").statusCode()).isEqualTo(201);
    HttpResponse<String> after = jetty.send("GET", "/items/1");
    assertThat(xCache(after)).isEqualTo("MISS");
    assertThat(after.body()).isEqualTo("item v3");
  }
}
