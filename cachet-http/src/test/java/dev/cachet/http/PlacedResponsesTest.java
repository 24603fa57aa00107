package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.internal.KeyMapper;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A miss whose body has the size the route's last body had is captured in one array with room
 * around it, and that array becomes the stored entry: the body is not copied again. Every other
 * miss is stored by copying, and every response is the same either way.
 */
class PlacedResponsesTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofHours(1)).build();
  private final TestOrigin origin = new TestOrigin();
  private MemoryStore store;

  @BeforeEach
  void useAStoreTheTestCanRead() {
    cachet.close();
    store = MemoryStore.builder().clock(clock).build();
    cachet = newCachet(store);
    http = HttpCache.builder(cachet).clock(clock).build();
    origin.chunk = 8000;
  }

  private static String json(int bytes, char fill) {
    StringBuilder b = new StringBuilder(bytes).append("{\"d\":\"");
    while (b.length() < bytes - 2) {
      b.append(fill);
    }
    return b.append("\"}").toString();
  }

  private byte[] entryOf(HttpRequestView request) {
    return store.get(new KeyMapper(cachet.namespace()).entryKey(http.keyOf(request, route)));
  }

  private HttpCacheResult read(HttpRequestView request) throws Exception {
    return http.handleRead(request, route, origin);
  }

  @Test
  void aBodyOfTheLearnedSizeBecomesTheEntryAndServesHitsByteForByte() throws Exception {
    origin.body = json(40_000, 'a');
    HttpCacheResult first = read(request("GET", "/items", "page=1"));
    assertThat(entryOf(request("GET", "/items", "page=1")))
        .as("nothing learned yet: copied").isNotSameAs(first.bodyView().soleArray());

    origin.body = json(40_000, 'b');
    HttpRequestView second = request("GET", "/items", "page=2");
    HttpCacheResult miss = read(second);
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(miss.bodyView().soleArray()).isNotNull();
    assertThat(entryOf(second)).as("the capture's own array is the entry").isSameAs(miss.bodyView().soleArray());

    HttpCacheResult hit = read(second);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(hit)).isEqualTo(origin.body);
    assertThat(hit.headers().first("ETag")).isEqualTo(miss.headers().first("ETag")).isNotNull();
    assertThat(hit.headers().first("X-Run")).isEqualTo("2");
    assertThat(text(read(request("GET", "/items", "page=1")))).isEqualTo(json(40_000, 'a'));
    assertThat(cachet.stats().corruptEntries()).isZero();
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void aBodyThatOutgrowsTheLearnedSizeIsCopiedThenLearned() throws Exception {
    origin.body = json(20_000, 'a');
    read(request("GET", "/items", "page=1"));
    origin.body = json(30_000, 'b');
    HttpCacheResult grown = read(request("GET", "/items", "page=2"));
    assertThat(grown.bodyView().soleArray()).as("spans two chunks").isNull();
    assertThat(text(read(request("GET", "/items", "page=2")))).isEqualTo(json(30_000, 'b'));

    origin.body = json(30_000, 'c');
    HttpCacheResult learned = read(request("GET", "/items", "page=3"));
    assertThat(entryOf(request("GET", "/items", "page=3"))).isSameAs(learned.bodyView().soleArray());
    assertThat(text(read(request("GET", "/items", "page=3")))).isEqualTo(json(30_000, 'c'));
  }

  @Test
  void aMuchSmallerBodyIsCopiedRatherThanStoredWithTheRoomItLeaves() throws Exception {
    origin.body = json(60_000, 'a');
    read(request("GET", "/items", "page=1"));
    origin.body = json(20_000, 'b');
    HttpCacheResult small = read(request("GET", "/items", "page=2"));
    byte[] entry = entryOf(request("GET", "/items", "page=2"));
    assertThat(entry).isNotSameAs(small.bodyView().soleArray());
    assertThat(entry.length).as("an entry of its own size").isLessThan(21_000);
    assertThat(text(read(request("GET", "/items", "page=2")))).isEqualTo(json(20_000, 'b'));
  }

  @Test
  void responsesThatAreNotStoredTeachNothing() throws Exception {
    origin.body = json(40_000, 'a');
    read(request("GET", "/items", "page=1"));
    origin.status = 404;
    origin.body = "{\"error\":\"none\"}";
    assertThat(read(request("GET", "/items", "page=2")).status()).isEqualTo(404);
    http.handleRead(request("HEAD", "/items", "page=3"), route, origin); // not stored either
    origin.status = 200;
    origin.body = json(40_000, 'b');
    HttpCacheResult miss = read(request("GET", "/items", "page=4"));
    assertThat(entryOf(request("GET", "/items", "page=4"))).isSameAs(miss.bodyView().soleArray());
  }

  /** A body that says which request it answers, of a size that varies around 24 KB by request. */
  private static byte[] bodyFor(String page) {
    int size = 20_000 + Math.floorMod(page.hashCode(), 8_000);
    StringBuilder b = new StringBuilder(size);
    while (b.length() < size) {
      b.append(page).append(';');
    }
    return b.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Origin answering(String page) {
    return forward -> {
      BodyCapture capture = forward.newBodyCapture(new Client());
      byte[] body = bodyFor(page);
      for (int at = 0; at < body.length; at += 8000) {
        capture.write(body, at, Math.min(8000, body.length - at));
      }
      return OriginResponse.of(200, HttpHeaders.of("Content-Type", "application/json"), capture);
    };
  }

  @Test
  void concurrentMissesAndHitsOfOneRouteNeverShareOrDamageAnEntry() throws Exception {
    int threads = 8;
    int perThread = 150;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger placed = new java.util.concurrent.atomic.AtomicInteger();
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < perThread; i++) {
            String page = thread + "-" + i;
            HttpRequestView miss = request("GET", "/items", "page=" + page);
            HttpCacheResult r = http.handleRead(miss, route, answering(page));
            wrong += java.util.Arrays.equals(r.body(), bodyFor(page)) ? 0 : 1;
            if (r.bodyView().soleArray() != null && entryOf(miss) == r.bodyView().soleArray()) {
              placed.incrementAndGet();
            }
            String earlier = thread + "-" + (i / 2); // a hit on an entry stored before, maybe placed
            HttpCacheResult hit = http.handleRead(request("GET", "/items", "page=" + earlier), route, answering(earlier));
            wrong += hit.xCache() == XCache.HIT && java.util.Arrays.equals(hit.body(), bodyFor(earlier)) ? 0 : 1;
          }
          return wrong;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(placed.get()).as("bodies that fit the learned size were placed").isPositive();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        String page = t + "-" + i;
        HttpCacheResult hit = read(request("GET", "/items", "page=" + page));
        assertThat(hit.xCache()).isEqualTo(XCache.HIT);
        assertThat(hit.body()).isEqualTo(bodyFor(page));
      }
    }
    assertThat(cachet.stats().corruptEntries()).isZero();
  }
}
