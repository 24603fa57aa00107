package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.internal.HeaderRules;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.MemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored responses kept as gzip: compressed once when stored, sent as stored to requests that
 * accept gzip and inflated for the others, each form with its own tag, every response of the
 * entry saying {@code Vary: Accept-Encoding}.
 */
class CompressionTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofHours(1)).build();
  private final TestOrigin origin = new TestOrigin();
  private MemoryStore store;

  @BeforeEach
  void compressJsonIntoAStoreTheTestCanRead() {
    cachet.close();
    store = MemoryStore.builder().clock(clock).build();
    cachet = newCachet(store);
    http = HttpCache.builder(cachet).clock(clock)
        .config(HttpCacheConfig.builder().compression(Compression.builder().build()).build())
        .build();
    origin.body = json(20_000);
    origin.chunk = 4096;
  }

  static String json(int bytes) {
    StringBuilder b = new StringBuilder(bytes).append('[');
    for (int i = 0; b.length() < bytes - 40; i++) {
      b.append("{\"id\":").append(i).append(",\"name\":\"item ").append(i * 7919 % 1000).append("\"},");
    }
    return b.append("{}]").toString();
  }

  static String gunzip(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpCacheResult read(String acceptEncoding) throws Exception {
    return read("GET", acceptEncoding, null);
  }

  private HttpCacheResult read(String method, @Nullable String acceptEncoding, @Nullable String ifNoneMatch)
      throws Exception {
    HttpRequestView.Builder b = HttpRequestView.builder(method, "/items");
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    return http.handleRead(b.build(), route, origin);
  }

  private int entryLength() {
    String key = http.keyOf(get("/items"), route);
    return store.get(new KeyMapper(cachet.namespace()).entryKey(key)).length;
  }

  @Test
  void gzipClientsGetGzipOnTheMissAndTheHitAndItInflatesToTheBody() throws Exception {
    HttpCacheResult miss = read("gzip, deflate, br");
    HttpCacheResult hit = read("gzip");
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    for (HttpCacheResult r : new HttpCacheResult[] {miss, hit}) {
      assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
      assertThat(r.headers().all("Vary")).contains("Accept-Encoding");
      assertThat(r.headers().first("Content-Length")).isEqualTo(Integer.toString(r.bodyLength()));
      assertThat(r.bodyLength()).isLessThan(origin.body.length() / 3);
      assertThat(gunzip(r.body())).isEqualTo(origin.body);
    }
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void identityClientsAndRefusalsGetTheIdentityBodyWithVary() throws Exception {
    read("gzip");
    for (String accept : new String[] {null, "", "identity", "gzip;q=0", "br", "*;q=0, identity",
        "gzip;q=0.5, identity;q=1", "x-gzip;q=0"}) {
      HttpCacheResult r = read("GET", accept, null);
      assertThat(r.xCache()).as(accept).isEqualTo(XCache.HIT);
      assertThat(r.headers().contains("Content-Encoding")).as(accept).isFalse();
      assertThat(text(r)).as(accept).isEqualTo(origin.body);
      assertThat(r.headers().first("Content-Length")).isEqualTo(Integer.toString(origin.body.length()));
      assertThat(r.headers().all("Vary")).as(accept).contains("Accept-Encoding");
    }
    for (String accept : new String[] {"*", "x-gzip", "GZIP;Q=0.1", "gzip;q=1, identity;q=1", "deflate, *;q=0.2"}) {
      assertThat(read(accept).headers().first("Content-Encoding")).as(accept).isEqualTo("gzip");
    }
  }

  @Test
  void anIdentityMissIsServedFromTheCaptureAndTheEntryHoldsOnlyTheGzip() throws Exception {
    HttpCacheResult miss = read("GET", null, null);
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(text(miss)).isEqualTo(origin.body);
    assertThat(entryLength()).as("gzip body, headers and envelope").isLessThan(origin.body.length() / 3);
    assertThat(gunzip(read("gzip").body())).isEqualTo(origin.body);
  }

  @Test
  void eachFormHasItsOwnTagAndOnlyItsOwnTagAnswers304() throws Exception {
    String identityTag = read("GET", null, null).headers().first("ETag");
    String gzipTag = read("gzip").headers().first("ETag");
    assertThat(identityTag).isNotNull().startsWith("\"").endsWith("\"");
    assertThat(gzipTag).isEqualTo(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"");

    HttpCacheResult gzip304 = read("GET", "gzip", gzipTag);
    assertThat(gzip304.status()).isEqualTo(304);
    assertThat(gzip304.headers().first("ETag")).isEqualTo(gzipTag);
    assertThat(gzip304.headers().all("Vary")).contains("Accept-Encoding");
    assertThat(gzip304.headers().contains("Content-Encoding")).isFalse();
    assertThat(read("GET", null, identityTag).status()).isEqualTo(304);

    HttpCacheResult crossed = read("GET", "gzip", identityTag);
    assertThat(crossed.status()).isEqualTo(200);
    assertThat(gunzip(crossed.body())).isEqualTo(origin.body);
    HttpCacheResult crossedBack = read("GET", "identity", gzipTag);
    assertThat(crossedBack.status()).isEqualTo(200);
    assertThat(text(crossedBack)).isEqualTo(origin.body);
  }

  @Test
  void headGetsTheHeadersOfGetForEitherForm() throws Exception {
    HttpCacheResult getGzip = read("gzip");
    HttpCacheResult getIdentity = read("GET", null, null);
    HttpCacheResult headGzip = read("HEAD", "gzip", null);
    HttpCacheResult headIdentity = read("HEAD", null, null);
    assertThat(headGzip.bodyLength()).isZero();
    assertThat(headIdentity.bodyLength()).isZero();
    for (String name : new String[] {"Content-Encoding", "Content-Length", "ETag", "Vary"}) {
      assertThat(headGzip.headers().all(name)).as(name).isEqualTo(getGzip.headers().all(name));
      assertThat(headIdentity.headers().all(name)).as(name).isEqualTo(getIdentity.headers().all(name));
    }
    assertThat(headGzip.headers().first("Content-Encoding")).isEqualTo("gzip");
    assertThat(headIdentity.headers().first("Content-Length")).isEqualTo(Integer.toString(origin.body.length()));
  }

  @Test
  void aHandlersOwnVaryIsKeptAndAcceptEncodingJoinsIt() throws Exception {
    RoutePolicy withVary = RoutePolicy.builder().ttl(Duration.ofHours(1)).varyByHeaders("Accept-Language").build();
    origin.headers = HttpHeaders.builder().add("Content-Type", "application/json")
        .add("Vary", "Accept-Language").build();
    HttpRequestView request = HttpRequestView.builder("GET", "/items").header("Accept-Encoding", "gzip").build();
    http.handleRead(request, withVary, origin);
    HttpCacheResult hit = http.handleRead(request, withVary, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(HeaderRules.varyNames(hit.headers().all("Vary")))
        .containsExactlyInAnyOrder("accept-language", "accept-encoding");
  }

  @Test
  void uncompressibleTypesSmallBodiesAndEncodedBodiesAreStoredAsTheyAre() throws Exception {
    String[][] cases = {
        {"image/png", json(20_000), null},
        {"application/json", "{\"small\":true}", null},
        {"application/json", json(20_000), "br"},
    };
    int path = 0;
    for (String[] c : cases) {
      origin.headers = c[2] == null
          ? HttpHeaders.of("Content-Type", c[0])
          : HttpHeaders.builder().add("Content-Type", c[0]).add("Content-Encoding", c[2]).build();
      origin.body = c[1];
      HttpRequestView request = HttpRequestView.builder("GET", "/p" + path++).header("Accept-Encoding", "gzip").build();
      http.handleRead(request, route, origin);
      HttpCacheResult hit = http.handleRead(request, route, origin);
      assertThat(hit.xCache()).isEqualTo(XCache.HIT);
      assertThat(hit.headers().all("Content-Encoding")).as(c[0]).isEqualTo(c[2] == null ? java.util.List.of() : java.util.List.of(c[2]));
      assertThat(hit.headers().contains("Vary")).as(c[0]).isFalse();
      assertThat(text(hit)).isEqualTo(c[1]);
    }
  }

  @Test
  void offByDefault() throws Exception {
    reconfigure(HttpCacheConfig.defaults());
    read("gzip");
    HttpCacheResult hit = read("gzip");
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.headers().contains("Content-Encoding")).isFalse();
    assertThat(hit.headers().contains("Vary")).isFalse();
    assertThat(text(hit)).isEqualTo(origin.body);
  }

  @Test
  void tagsComeFromTheIdentityBodyNotFromTheGzipBytes() throws Exception {
    HttpRequestView gzipRequest = HttpRequestView.builder("GET", "/items").header("Accept-Encoding", "gzip").build();
    HttpCacheResult fastest = cacheAtLevel(1).handleRead(gzipRequest, route, origin);
    HttpCacheResult smallest = cacheAtLevel(9).handleRead(gzipRequest, route, origin);
    assertThat(fastest.body()).as("another deflate, other bytes").isNotEqualTo(smallest.body());
    assertThat(gunzip(fastest.body())).isEqualTo(gunzip(smallest.body()));
    assertThat(fastest.headers().first("ETag")).isEqualTo(smallest.headers().first("ETag"))
        .isEqualTo(read("gzip").headers().first("ETag"));
  }

  private HttpCache cacheAtLevel(int level) {
    // Another process: its own store, its own deflate level.
    return HttpCache.builder(newCachet(MemoryStore.builder().clock(clock).build())).clock(clock)
        .config(HttpCacheConfig.builder().compression(Compression.builder().level(level).build()).build())
        .build();
  }

  @Test
  void aCompressedEntryReadBackFromTheStoreServesBothForms() throws Exception {
    read("gzip");
    HttpCache another = HttpCache.builder(cachet).clock(clock).build(); // compression off here
    HttpCacheResult gzip = another.handleRead(
        HttpRequestView.builder("GET", "/items").header("Accept-Encoding", "gzip").build(), route, origin);
    HttpCacheResult identity = another.handleRead(get("/items"), route, origin);
    assertThat(gzip.xCache()).isEqualTo(XCache.HIT);
    assertThat(gunzip(gzip.body())).isEqualTo(origin.body);
    assertThat(text(identity)).isEqualTo(origin.body);
    assertThat(cachet.stats().corruptEntries()).isZero();
  }

  @Test
  void excludedUserAgentsGetTheIdentityBodyAndTheIdentityTag() throws Exception {
    reconfigure(HttpCacheConfig.builder()
        .compression(Compression.builder().excludedUserAgents("Mozilla/4\\.0 \\(compatible; MSIE 6.*", "Broken").build())
        .build());
    HttpCacheResult gzip = read("gzip");
    for (String agent : new String[] {"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)", "Broken"}) {
      HttpCacheResult r = http.handleRead(HttpRequestView.builder("GET", "/items")
          .header("Accept-Encoding", "gzip").header("User-Agent", agent).build(), route, origin);
      assertThat(r.xCache()).as(agent).isEqualTo(XCache.HIT);
      assertThat(r.headers().contains("Content-Encoding")).as(agent).isFalse();
      assertThat(text(r)).as(agent).isEqualTo(origin.body);
      assertThat(r.headers().all("Vary")).as(agent).contains("Accept-Encoding");
      assertThat(r.headers().first("ETag")).as(agent).isNotEqualTo(gzip.headers().first("ETag"));
    }
    // A whole-header match: an agent that only contains an excluded one still gets gzip.
    HttpCacheResult other = http.handleRead(HttpRequestView.builder("GET", "/items")
        .header("Accept-Encoding", "gzip").header("User-Agent", "NotBroken/1.0").build(), route, origin);
    assertThat(other.headers().first("Content-Encoding")).isEqualTo("gzip");
    assertThat(origin.runs()).isEqualTo(1);
  }
}
