package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

class HttpCacheConcurrencyTest extends HttpCacheFixture {
  private static final int THREADS = 32;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(5));

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @RepeatedTest(3)
  void thirtyTwoMissesOfOneKeyRunTheHandlerOnce() throws Exception {
    TestOrigin origin = new TestOrigin();
    CountDownLatch started = new CountDownLatch(THREADS);
    CountDownLatch release = new CountDownLatch(1);
    Origin slow = forward -> {
      release.await(10, TimeUnit.SECONDS);
      return origin.proceed(forward);
    };
    List<Future<HttpCacheResult>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(pool.submit(() -> {
        started.countDown();
        return http.handleRead(get("/hot"), route, slow);
      }));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    Set<String> statuses = new HashSet<>();
    for (Future<HttpCacheResult> f : results) {
      HttpCacheResult r = f.get(20, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(text(r)).isEqualTo("{\"n\":1}");
      assertThat(r.headers().first("X-Run")).isEqualTo("1");
      statuses.add(r.cacheStatus());
    }
    assertThat(origin.runs()).isEqualTo(1);
    assertThat(statuses).contains("Cachet; fwd=uri-miss; fwd-status=200; stored")
        .allMatch(s -> s.endsWith("; stored") || s.endsWith("; collapsed") || s.startsWith("Cachet; hit"));
  }

  @RepeatedTest(3)
  void responsesThatMayNotBeStoredAreNotSharedEachRequestRunsItsOwn() throws Exception {
    int threads = 8;
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    Origin personal = forward -> {
      int run = runs.incrementAndGet();
      release.await(10, TimeUnit.SECONDS);
      BodyCapture body = forward.newBodyCapture(new Client());
      body.write(("for run " + run).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return OriginResponse.of(200, HttpHeaders.of("Set-Cookie", "run=" + run), body);
    };
    List<Future<HttpCacheResult>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        started.countDown();
        return http.handleRead(get("/personal"), route, personal);
      }));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    Set<String> cookies = new HashSet<>();
    for (Future<HttpCacheResult> f : results) {
      HttpCacheResult r = f.get(30, TimeUnit.SECONDS);
      String cookie = r.headers().first("Set-Cookie");
      assertThat(text(r)).isEqualTo("for " + cookie.replace('=', ' '));
      cookies.add(cookie);
    }
    assertThat(cookies).as("no request got another's cookie").hasSize(threads);
    assertThat(runs).hasValue(threads);
  }

  /**
   * A no-cache response may not be reused without revalidation: requests that waited for its
   * load are not given it, each runs its handler (and none of them stores).
   */
  @RepeatedTest(3)
  void noCacheResponsesAreNotSharedWithWaitingRequests() throws Exception {
    int threads = 8;
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    Origin revalidateMe = forward -> {
      int run = runs.incrementAndGet();
      release.await(10, TimeUnit.SECONDS);
      BodyCapture body = forward.newBodyCapture(new Client());
      body.write(("run " + run).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return OriginResponse.of(200, HttpHeaders.of("Cache-Control", "no-cache", "X-Run", "" + run), body);
    };
    List<Future<HttpCacheResult>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        started.countDown();
        return http.handleRead(get("/fresh-only"), route, revalidateMe);
      }));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    Set<String> bodies = new HashSet<>();
    for (Future<HttpCacheResult> f : results) {
      HttpCacheResult r = f.get(30, TimeUnit.SECONDS);
      assertThat(text(r)).isEqualTo("run " + r.headers().first("X-Run"));
      assertThat(r.cacheStatus()).endsWith("; detail=no-cache");
      bodies.add(text(r));
    }
    assertThat(bodies).as("no request got another's response").hasSize(threads);
    assertThat(runs).hasValue(threads);
  }
}
