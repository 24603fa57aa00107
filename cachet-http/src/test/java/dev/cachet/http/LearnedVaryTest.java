package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A route learns the headers its responses name in {@code Vary}: the response that teaches is not
 * stored, later ones are stored per value of those headers and only answer requests with the same
 * values. Credentials, {@code *} and overlong lists are never learned.
 */
class LearnedVaryTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofSeconds(60));
  private final TestOrigin origin = new TestOrigin();

  private HttpCacheResult read(String path, String... headers) throws Exception {
    HttpRequestView.Builder request = HttpRequestView.builder("GET", path);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.handleRead(request.build(), route, origin);
  }

  @Test
  void aRouteLearnsAVaryHeaderAndStoresOneEntryPerValue() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "text/plain", "Vary", "Accept-Language");
    HttpCacheResult teaching = read("/greeting", "Accept-Language", "fr");
    assertThat(teaching.cacheStatus()).endsWith("detail=vary");

    HttpCacheResult french = read("/greeting", "Accept-Language", "fr");
    assertThat(french.xCache()).isEqualTo(XCache.MISS);
    assertThat(french.cacheStatus()).endsWith("stored");
    HttpCacheResult german = read("/greeting", "Accept-Language", "de");
    assertThat(german.xCache()).isEqualTo(XCache.MISS);
    HttpCacheResult none = read("/greeting");
    assertThat(none.xCache()).isEqualTo(XCache.MISS);

    HttpCacheResult frenchAgain = read("/greeting", "Accept-Language", "fr");
    assertThat(frenchAgain.xCache()).isEqualTo(XCache.HIT);
    assertThat(frenchAgain.headers().first("X-Run")).isEqualTo(french.headers().first("X-Run"));
    assertThat(read("/greeting", "Accept-Language", "de").headers().first("X-Run"))
        .isEqualTo(german.headers().first("X-Run"));
    assertThat(read("/greeting").headers().first("X-Run")).isEqualTo(none.headers().first("X-Run"));
    assertThat(origin.runs()).isEqualTo(4);
  }

  @Test
  void corsVaryHeadersAreLearnedTogether() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "application/json",
        "Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    read("/items", "Origin", "https://a.example");
    HttpCacheResult a = read("/items", "Origin", "https://a.example");
    assertThat(a.cacheStatus()).endsWith("stored");
    assertThat(read("/items", "Origin", "https://a.example").xCache()).isEqualTo(XCache.HIT);
    assertThat(read("/items", "Origin", "https://b.example").xCache()).isEqualTo(XCache.MISS);
  }

  @Test
  void credentialsWildcardsAndLongListsAreNeverLearned() throws Exception {
    for (String vary : List.of("Authorization", "Cookie", "*", "A, B, C, D, E, F, G, H, I")) {
      origin.headers = HttpHeaders.of("Vary", vary);
      String path = "/never/" + vary.length();
      for (int i = 0; i < 3; i++) {
        assertThat(read(path).cacheStatus()).as(vary).endsWith("detail=vary");
      }
    }
  }

  @Test
  void ignoredVaryHeadersAreNeitherLearnedNorPartOfTheKey() throws Exception {
    reconfigure(HttpCacheConfig.builder().ignoredVaryHeaders("Accept-Encoding").build());
    origin.headers = HttpHeaders.of("Vary", "Accept-Encoding");
    assertThat(read("/z", "Accept-Encoding", "gzip").cacheStatus()).endsWith("stored");
    assertThat(read("/z", "Accept-Encoding", "br").xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void concurrentLearnersKeepEveryHeaderTheyLearned() throws Exception {
    int threads = LearnedVary.MAX_PER_ROUTE;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int attempt = 0; attempt < 200; attempt++) {
        LearnedVary learned = new LearnedVary();
        RoutePolicy policy = RoutePolicy.ofTtl(Duration.ofSeconds(1));
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String name = "x-h" + t;
          results.add(pool.submit(() -> {
            start.await();
            return learned.learn(policy, Set.of(name));
          }));
        }
        for (Future<Boolean> result : results) {
          assertThat(result.get()).isTrue();
        }
        assertThat(learned.of(policy)).hasSize(threads).allMatch(n -> n.startsWith("x-h"));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
