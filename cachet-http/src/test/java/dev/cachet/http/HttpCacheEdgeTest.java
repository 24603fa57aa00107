package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpCacheEdgeTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofSeconds(60));
  private final TestOrigin origin = new TestOrigin();

  private HttpCacheResult read(HttpRequestView request) throws Exception {
    return http.handleRead(request, route, origin);
  }

  @Test
  void overADisabledCacheEveryReadSaysItBypassedNotThatItStored() throws Exception {
    HttpCache disabled = HttpCache.builder(dev.cachet.Cachet.noop()).clock(clock).build();
    for (int i = 1; i <= 2; i++) {
      HttpCacheResult r = disabled.handleRead(get("/d"), route, origin);
      assertThat(r.xCache()).isEqualTo(XCache.BYPASS);
      assertThat(r.cacheStatus()).isEqualTo("Cachet; fwd=bypass; detail=disabled");
      assertThat(origin.runs()).isEqualTo(i);
    }
  }

  @Test
  void aBodyOverTheCapStreamsToTheClientUntouchedAndIsNotStored() throws Exception {
    reconfigure(HttpCacheConfig.builder().maxBodyBytes(16).build());
    origin.body = "0123456789abcdefghijklmnopqrstuvwxyz";
    HttpCacheResult r = read(get("/big"));
    assertThat(r.committed()).isTrue();
    assertThat(r.xCache()).isEqualTo(XCache.MISS);
    assertThat(r.bodyLength()).isZero();
    assertThat(origin.client.receivedText()).isEqualTo("0123456789abcdefghijklmnopqrstuvwxyz");
    assertThat(origin.client.committedWith().first("X-Cache")).isEqualTo("MISS");
    assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=uri-miss; detail=too-large");
    assertThat(origin.lastForward.mode()).isEqualTo(Forward.Mode.CAPTURE);
    assertThat(read(get("/big")).committed()).isTrue();
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void aBodyAtTheCapIsStored() throws Exception {
    reconfigure(HttpCacheConfig.builder().maxBodyBytes(7).build());
    read(get("/fits"));
    assertThat(read(get("/fits")).xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void eventStreamsPassThroughAndAreNotStored() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "text/event-stream");
    origin.stream = true;
    origin.body = "data: 1\n\n";
    HttpCacheResult r = read(get("/events"));
    assertThat(r.committed()).isTrue();
    assertThat(origin.client.committedWith().first("Cache-Status")).endsWith("detail=streaming");
    assertThat(origin.client.receivedText()).isEqualTo("data: 1\n\n");
    read(get("/events"));
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void anEventStreamTypeAloneKeepsItOutOfTheCache() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "text/event-stream");
    assertThat(read(get("/sse")).cacheStatus()).endsWith("detail=streaming");
    assertThat(read(get("/sse")).xCache()).isEqualTo(XCache.MISS);
  }

  @Test
  void aResponseThatSaysNoCacheIsNeverServedFromTheCache() throws Exception {
    origin.headers = HttpHeaders.of("Cache-Control", "no-cache");
    HttpCacheResult first = read(get("/nc"));
    assertThat(first.xCache()).isEqualTo(XCache.MISS);
    assertThat(first.cacheStatus()).isEqualTo("Cachet; fwd=uri-miss; fwd-status=200; detail=no-cache");
    assertThat(read(get("/nc")).xCache()).isEqualTo(XCache.MISS);
    assertThat(origin.runs()).isEqualTo(2);
    origin.headers = HttpHeaders.of("Cache-Control", "s-maxage=0");
    assertThat(read(get("/nc")).cacheStatus()).endsWith("detail=expired");
    assertThat(read(get("/nc")).xCache()).isEqualTo(XCache.MISS);
    assertThat(origin.runs()).isEqualTo(4);
  }

  @Test
  void bypassedRequestsStreamWithoutBuffering() throws Exception {
    HttpRequestView auth = HttpRequestView.builder("GET", "/x").header("Authorization", "Basic a").build();
    HttpCacheResult r = read(auth);
    assertThat(origin.lastForward.mode()).isEqualTo(Forward.Mode.PASS_THROUGH);
    assertThat(r.committed()).isTrue();
    assertThat(origin.client.committedWith().first("X-Cache")).isEqualTo("BYPASS");
    assertThat(origin.client.receivedText()).isEqualTo("{\"n\":1}");
  }

  @Test
  void pathsWithDotOrEmptySegmentsAreBypassedSinceAFrameworkMayRouteThemElsewhere() throws Exception {
    // Spring MVC runs /search/{term} for /search/.. with term "..": storing that under "/" would
    // answer every later GET / with the search page.
    for (String path : List.of("/search/..", "/search/.", "/a/./b", "/a/%2E/b", "/search/.%2e")) {
      HttpCacheResult r = read(get(path));
      assertThat(r.xCache()).as(path).isEqualTo(XCache.BYPASS);
      assertThat(http.keyOf(get(path), route)).as(path).isNull();
    }
    assertThat(origin.client.committedWith().first("Cache-Status"))
        .isEqualTo("Cachet; fwd=bypass; detail=unsafe-uri"); // escaped: no canonical form
    read(get("/search/.."));
    assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=bypass; detail=dot-segment");
    for (String path : List.of("//a", "/a//b", "/a//")) {
      assertThat(read(get(path)).xCache()).as(path).isEqualTo(XCache.BYPASS);
      assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=bypass; detail=empty-segment");
    }
    assertThat(origin.runs()).isEqualTo(9);
    assertThat(http.keyOf(get("/a/b/"), route)).as("a trailing slash is kept, not refused").isEqualTo("GET:/a/b/");
    assertThat(http.keyOf(get(""), route)).isEqualTo("GET:/");
  }

  @Test
  void pathsWithSemicolonParametersAreBypassedSinceFrameworksMatchThemWithout() throws Exception {
    // Spring MVC and servlet containers match /items/1;x=1 as /items/1: a key of its own would
    // split item 1 across entries that writes to /items/1 never invalidate.
    for (String path : List.of("/items/1;x=1", "/items;v=2/1", "/items/1;", "/a;jsessionid=F00")) {
      assertThat(read(get(path)).xCache()).as(path).isEqualTo(XCache.BYPASS);
      assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=bypass; detail=path-params");
      assertThat(http.keyOf(get(path), route)).as(path).isNull();
    }
    assertThat(http.keyOf(get("/items/1%3Bx=1"), route)).as("an escaped ';' is data").isEqualTo("GET:/items/1%3Bx=1");
  }

  @Test
  void pathsThatCannotBeNormalizedSafelyAreBypassed() throws Exception {
    HttpCacheResult r = read(get("/a/../../etc/passwd"));
    assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=bypass; detail=unsafe-uri");
    assertThat(r.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(http.keyOf(get("/a/../../etc/passwd"), route)).isNull();
    assertThat(http.keyOf(get("/a/%2e%2e/b"), route)).isNull();
  }

  @Test
  void otherMethodsAreBypassed() throws Exception {
    HttpCacheResult r = read(request("OPTIONS", "/x", null));
    assertThat(r.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(origin.client.committedWith().first("Cache-Status")).isEqualTo("Cachet; fwd=method");
  }

  @Test
  void aMissingTemplateVariableBypassesInsteadOfCachingUntagged() throws Exception {
    RoutePolicy tagged = RoutePolicy.builder().ttl(Duration.ofSeconds(60)).tags("space:{spaceId}").build();
    HttpCacheResult r = http.handleRead(get("/spaces/1"), tagged, origin);
    assertThat(r.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(origin.client.committedWith().first("Cache-Status")).endsWith("detail=template");
  }

  @Test
  void statusHeadersCanBeSwitchedOff() throws Exception {
    reconfigure(HttpCacheConfig.builder().statusHeaders(false).etags(false).build());
    HttpCacheResult miss = read(get("/quiet"));
    HttpCacheResult hit = read(get("/quiet"));
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.cacheStatus()).isNull();
    assertThat(hit.headers().names()).doesNotContain("X-Cache", "Cache-Status", "ETag");
    assertThat(miss.headers().names()).doesNotContain("X-Cache", "Cache-Status", "ETag");
    assertThat(hit.headers().first("Age")).isEqualTo("0");
  }

  @Test
  void conditionalRequestsCanBeSwitchedOff() throws Exception {
    reconfigure(HttpCacheConfig.builder().conditionalRequests(false).build());
    read(get("/c"));
    assertThat(read(HttpRequestView.builder("GET", "/c").header("If-None-Match", "*").build()).status()).isEqualTo(200);
  }

  @Test
  void handlerExceptionsReachTheCallerAsTheyAre() {
    Origin checked = forward -> {
      throw new IOException("client went away");
    };
    assertThatThrownBy(() -> http.handleRead(get("/io"), route, checked))
        .isInstanceOf(IOException.class).hasMessage("client went away");
    origin.failure = new IllegalStateException("bug");
    assertThatThrownBy(() -> read(get("/rt"))).isInstanceOf(IllegalStateException.class).hasMessage("bug");
  }

  @Test
  void aCorruptEntryIsAMiss() throws Exception {
    read(get("/k"));
    String key = http.keyOf(get("/k"), route);
    assertThat(key).isEqualTo("GET:/k");
    cachet.put(key, new byte[] {9, 9, 9}, dev.cachet.Codecs.bytes(), route.cachePolicy(java.util.List.of("p:/k", "t:/k")));
    HttpCacheResult r = read(get("/k"));
    assertThat(r.xCache()).isEqualTo(XCache.MISS);
    assertThat(r.headers().first("X-Run")).isEqualTo("2");
  }
}
