package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpCacheReadTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofSeconds(60));
  private final TestOrigin origin = new TestOrigin();

  private HttpCacheResult read(HttpRequestView request) throws Exception {
    return http.handleRead(request, route, origin);
  }

  @Test
  void onlyIfCachedIsAnsweredFromTheCacheOrWithA504NeverByTheHandler() throws Exception {
    HttpRequestView only = HttpRequestView.builder("GET", "/oic").header("Cache-Control", "only-if-cached").build();
    HttpCacheResult miss = read(only);
    assertThat(miss.status()).isEqualTo(504);
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    // RFC 9211: nothing went forward, so the 504 is no origin's (no fwd, no fwd-status).
    assertThat(miss.headers().all("Cache-Status")).containsExactly("Cachet; detail=only-if-cached");
    assertThat(origin.runs()).isZero();
    assertThat(read(only).status()).as("a 504 is never stored").isEqualTo(504);
    read(get("/oic"));
    HttpCacheResult hit = read(only);
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void onlyIfCachedForwardsNothingAndItsCacheStatusSaysSoWithAStaleIfErrorRouteToo() throws Exception {
    RoutePolicy withStaleIfError = RoutePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleIfError(Duration.ofMinutes(5)).build();
    HttpRequestView cold = HttpRequestView.builder("GET", "/sie-cold").header("Cache-Control", "only-if-cached").build();
    HttpCacheResult none = http.handleRead(cold, withStaleIfError, origin);
    assertThat(none.status()).isEqualTo(504);
    assertThat(none.headers().all("Cache-Status")).containsExactly("Cachet; detail=only-if-cached");

    http.handleRead(get("/sie"), withStaleIfError, origin);
    clock.advance(Duration.ofSeconds(20));
    HttpRequestView only = HttpRequestView.builder("GET", "/sie").header("Cache-Control", "only-if-cached").build();
    HttpCacheResult stale = http.handleRead(only, withStaleIfError, origin);
    assertThat(stale.status()).as("the stale copy, as before").isEqualTo(200);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(stale.headers().all("Cache-Status")).containsExactly("Cachet; hit; ttl=-10; detail=stale");
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void aMissIsStoredThenServedAsAHitWithAge() throws Exception {
    HttpCacheResult miss = read(get("/spaces/1/items"));
    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(miss.status()).isEqualTo(200);
    assertThat(miss.committed()).isFalse();
    assertThat(miss.headers().first("X-Cache")).isEqualTo("MISS");
    assertThat(miss.cacheStatus()).isEqualTo("Cachet; fwd=uri-miss; fwd-status=200; stored");
    assertThat(miss.headers().first("ETag")).matches("\"[A-Za-z0-9_-]{16}\"");
    assertThat(miss.headers().first("Content-Length")).isEqualTo("7");
    assertThat(miss.headers().contains("Age")).isFalse();
    assertThat(text(miss)).isEqualTo("{\"n\":1}");

    clock.advance(Duration.ofSeconds(5));
    HttpCacheResult hit = read(get("/spaces/1/items"));
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.cacheStatus()).isEqualTo("Cachet; hit; ttl=55");
    assertThat(hit.headers().first("Age")).isEqualTo("5");
    assertThat(hit.headers().first("ETag")).isEqualTo(miss.headers().first("ETag"));
    assertThat(hit.headers().first("X-Run")).isEqualTo("1");
    assertThat(text(hit)).isEqualTo("{\"n\":1}");
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void queryOrderAndIgnoredParametersShareAnEntry() throws Exception {
    reconfigure(HttpCacheConfig.builder().ignoredParameters("utm_*").build());
    read(request("GET", "/items", "a=1&b=2"));
    HttpCacheResult hit = read(request("GET", "/items", "b=2&utm_source=x&a=1"));
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(read(request("GET", "/items", "a=1&b=3")).xCache()).isEqualTo(XCache.MISS);
  }

  @Test
  void anEntryExpiresAfterItsTtl() throws Exception {
    read(get("/x"));
    clock.advance(Duration.ofSeconds(61));
    HttpCacheResult again = read(get("/x"));
    assertThat(again.xCache()).isEqualTo(XCache.MISS);
    assertThat(again.headers().first("X-Run")).isEqualTo("2");
  }

  @Test
  void headIsServedFromTheGetEntryWithoutBody() throws Exception {
    read(get("/x"));
    HttpCacheResult head = read(request("HEAD", "/x", null));
    assertThat(head.xCache()).isEqualTo(XCache.HIT);
    assertThat(head.bodyLength()).isZero();
    assertThat(head.headers().first("Content-Length")).isEqualTo("7");
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void aHeadMissIsNotStoredAsTheGetEntry() throws Exception {
    origin.body = ""; // a HEAD handler writes no body
    HttpCacheResult head = read(request("HEAD", "/y", null));
    assertThat(head.xCache()).isEqualTo(XCache.MISS);
    assertThat(head.cacheStatus()).isEqualTo("Cachet; fwd=uri-miss; fwd-status=200; detail=head");
    origin.body = "full";
    HttpCacheResult getAfter = read(get("/y"));
    assertThat(getAfter.xCache()).isEqualTo(XCache.MISS);
    assertThat(text(getAfter)).isEqualTo("full");
  }

  @Test
  void aResponseWithSetCookieIsNeverReplayed() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "text/plain", "Set-Cookie", "session=abc");
    HttpCacheResult first = read(get("/profile"));
    assertThat(first.xCache()).isEqualTo(XCache.MISS);
    assertThat(first.headers().all("Set-Cookie")).containsExactly("session=abc"); // its own client's
    assertThat(first.cacheStatus()).isEqualTo("Cachet; fwd=uri-miss; fwd-status=200; detail=set-cookie");
    HttpCacheResult second = read(get("/profile"));
    assertThat(second.xCache()).isEqualTo(XCache.MISS);
    assertThat(second.headers().first("X-Run")).isEqualTo("2");
    assertThat(origin.runs()).isEqualTo(2);
  }

  @Test
  void errorsAreNeverReplayed() throws Exception {
    origin.status = 500;
    assertThat(read(get("/boom")).cacheStatus()).endsWith("fwd-status=500; detail=status");
    assertThat(read(get("/boom")).headers().first("X-Run")).isEqualTo("2");
    origin.status = 404;
    assertThat(read(get("/boom")).status()).isEqualTo(404);
    assertThat(read(get("/boom")).headers().first("X-Run")).isEqualTo("4");
  }

  @Test
  void responsesThatForbidStorageAreNotStored() throws Exception {
    origin.headers = HttpHeaders.of("Cache-Control", "no-store");
    read(get("/a"));
    assertThat(read(get("/a")).xCache()).isEqualTo(XCache.MISS);
    origin.headers = HttpHeaders.of("Cache-Control", "private, max-age=60");
    read(get("/b"));
    assertThat(read(get("/b")).cacheStatus()).endsWith("detail=private");
    origin.headers = HttpHeaders.of("Vary", "Accept-Language");
    assertThat(read(get("/c")).cacheStatus()).endsWith("detail=vary");
    assertThat(origin.runs()).isEqualTo(5);
  }

  @Test
  void aRequestWithCredentialsIsNotServedTheSharedEntry() throws Exception {
    read(get("/shared"));
    HttpRequestView withAuth = HttpRequestView.builder("GET", "/shared").header("Authorization", "Bearer t").build();
    HttpCacheResult auth = read(withAuth);
    assertThat(auth.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(auth.cacheStatus()).isEqualTo("Cachet; fwd=bypass; detail=credentials");
    assertThat(auth.committed()).isTrue();
    assertThat(origin.runs()).isEqualTo(2);
    HttpRequestView withCookie = HttpRequestView.builder("GET", "/shared").header("Cookie", "s=1").build();
    assertThat(read(withCookie).xCache()).isEqualTo(XCache.BYPASS);
    assertThat(origin.runs()).isEqualTo(3);
    // ...and what it got was not written to the shared entry either.
    HttpCacheResult anonymous = read(get("/shared"));
    assertThat(anonymous.xCache()).isEqualTo(XCache.HIT);
    assertThat(anonymous.headers().first("X-Run")).isEqualTo("1");
  }

  @Test
  void aSharedRouteServesRequestsWithCredentials() throws Exception {
    RoutePolicy shared = RoutePolicy.builder().ttl(Duration.ofSeconds(60)).sharedDespiteCredentials(true).build();
    http.handleRead(get("/public"), shared, origin);
    HttpRequestView withAuth = HttpRequestView.builder("GET", "/public").header("Authorization", "Bearer t").build();
    assertThat(http.handleRead(withAuth, shared, origin).xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void perPrincipalRoutesKeepUsersApart() throws Exception {
    RoutePolicy perUser = RoutePolicy.builder().ttl(Duration.ofSeconds(60)).varyByPrincipal(true).build();
    HttpRequestView alice = HttpRequestView.builder("GET", "/me").header("Cookie", "s=a").identity("alice").build();
    HttpRequestView bob = HttpRequestView.builder("GET", "/me").header("Cookie", "s=b").identity("bob").build();
    origin.body = "alice's";
    assertThat(http.handleRead(alice, perUser, origin).xCache()).isEqualTo(XCache.MISS);
    origin.body = "bob's";
    HttpCacheResult forBob = http.handleRead(bob, perUser, origin);
    assertThat(forBob.xCache()).isEqualTo(XCache.MISS);
    assertThat(text(forBob)).isEqualTo("bob's");
    assertThat(forBob.cacheStatus()).startsWith("Cachet; fwd=miss;");
    HttpCacheResult aliceAgain = http.handleRead(alice, perUser, origin);
    assertThat(aliceAgain.xCache()).isEqualTo(XCache.HIT);
    assertThat(text(aliceAgain)).isEqualTo("alice's");
    HttpRequestView noIdentity = HttpRequestView.builder("GET", "/me").header("Cookie", "s=x").build();
    HttpCacheResult unknown = http.handleRead(noIdentity, perUser, origin);
    assertThat(unknown.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(unknown.cacheStatus()).endsWith("detail=no-identity");
  }

  @Test
  void requestNoCacheSkipsTheReadAndRefreshesTheEntry() throws Exception {
    read(get("/n"));
    HttpRequestView noCache = HttpRequestView.builder("GET", "/n").header("Cache-Control", "no-cache").build();
    HttpCacheResult skipped = read(noCache);
    assertThat(skipped.xCache()).isEqualTo(XCache.SKIP);
    assertThat(skipped.cacheStatus()).isEqualTo("Cachet; fwd=request; fwd-status=200; stored");
    assertThat(skipped.headers().first("X-Run")).isEqualTo("2");
    HttpCacheResult after = read(get("/n"));
    assertThat(after.xCache()).isEqualTo(XCache.HIT);
    assertThat(after.headers().first("X-Run")).isEqualTo("2");
  }

  @Test
  void aHeadWithNoCacheSkipsTheReadButKeepsTheEntry() throws Exception {
    read(get("/hn"));
    HttpRequestView head = HttpRequestView.builder("HEAD", "/hn").header("Cache-Control", "no-cache").build();
    assertThat(read(head).xCache()).isEqualTo(XCache.SKIP);
    assertThat(read(get("/hn")).xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void pragmaNoCacheCountsOnlyWithoutCacheControl() throws Exception {
    read(get("/p"));
    HttpRequestView pragma = HttpRequestView.builder("GET", "/p").header("Pragma", "no-cache").build();
    assertThat(read(pragma).xCache()).isEqualTo(XCache.SKIP);
    HttpRequestView both = HttpRequestView.builder("GET", "/p").header("Pragma", "no-cache")
        .header("Cache-Control", "max-age=60").build();
    assertThat(read(both).xCache()).isEqualTo(XCache.HIT);
  }

  @Test
  void requestNoStoreSkipsReadAndWrite() throws Exception {
    read(get("/s"));
    HttpRequestView noStore = HttpRequestView.builder("GET", "/s").header("Cache-Control", "no-store").build();
    HttpCacheResult skipped = read(noStore);
    assertThat(skipped.xCache()).isEqualTo(XCache.SKIP);
    assertThat(skipped.cacheStatus()).isEqualTo("Cachet; fwd=request");
    assertThat(skipped.committed()).isTrue(); // uncached responses stream
    assertThat(origin.runs()).isEqualTo(2);
    assertThat(read(get("/s")).headers().first("X-Run")).isEqualTo("1");
    HttpRequestView fresh = HttpRequestView.builder("GET", "/t").header("Cache-Control", "no-store").build();
    read(fresh);
    assertThat(read(get("/t")).xCache()).isEqualTo(XCache.MISS);
  }

  @Test
  void clientDirectivesCanBeSwitchedOff() throws Exception {
    reconfigure(HttpCacheConfig.builder().honourRequestNoCache(false).honourRequestNoStore(false).build());
    read(get("/o"));
    HttpRequestView noCache = HttpRequestView.builder("GET", "/o").header("Cache-Control", "no-cache, no-store").build();
    assertThat(read(noCache).xCache()).isEqualTo(XCache.HIT);
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void ifNoneMatchIsAnswered304FromTheCache() throws Exception {
    String etag = read(get("/e")).headers().first("ETag");
    for (String inm : new String[] {etag, "\"other\", " + etag, "W/" + etag, "*"}) {
      HttpCacheResult r = read(HttpRequestView.builder("GET", "/e").header("If-None-Match", inm).build());
      assertThat(r.status()).as(inm).isEqualTo(304);
      assertThat(r.xCache()).isEqualTo(XCache.HIT);
      assertThat(r.bodyLength()).isZero();
      assertThat(r.headers().first("ETag")).isEqualTo(etag);
      assertThat(r.headers().contains("Content-Length")).isFalse();
      assertThat(r.headers().contains("Content-Type")).isFalse();
    }
    HttpCacheResult other = read(HttpRequestView.builder("GET", "/e").header("If-None-Match", "\"nope\"").build());
    assertThat(other.status()).isEqualTo(200);
    assertThat(text(other)).isEqualTo("{\"n\":1}");
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void theApplicationsOwnEtagIsKept() throws Exception {
    origin.headers = HttpHeaders.of("ETag", "W/\"v7\"");
    HttpCacheResult first = read(get("/own"));
    assertThat(first.headers().all("ETag")).containsExactly("W/\"v7\"");
    HttpCacheResult conditional = read(HttpRequestView.builder("GET", "/own").header("If-None-Match", "\"v7\"").build());
    assertThat(conditional.status()).isEqualTo(304);
  }

  @Test
  void aMissCanBeAnswered304Too() throws Exception {
    HttpCacheResult r = read(HttpRequestView.builder("GET", "/m").header("If-None-Match", "*").build());
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.xCache()).isEqualTo(XCache.MISS);
    assertThat(r.cacheStatus()).endsWith("; stored");
    assertThat(r.bodyLength()).isZero();
  }

  @Test
  void replayedHeadersLoseHopByHopHeadersAndKeepTheHandlersDateNextToTheirAge() throws Exception {
    origin.headers = HttpHeaders.builder().add("Content-Type", "text/plain").add("Connection", "X-Hop")
        .add("X-Hop", "1").add("Keep-Alive", "timeout=5").add("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
        .add("X-Custom", "yes").add("Set-Cookie2", "legacy=1").build();
    read(get("/h"));
    assertThat(read(get("/h")).xCache()).as("Set-Cookie2 is a cookie too").isEqualTo(XCache.MISS);
    origin.headers = origin.headers.toBuilder().remove("Set-Cookie2").build();
    read(get("/i"));
    clock.advance(Duration.ofSeconds(20));
    HttpCacheResult hit = read(get("/i"));
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.headers().names()).doesNotContain("Connection", "X-Hop", "Keep-Alive");
    assertThat(hit.headers().first("X-Custom")).isEqualTo("yes");
    // RFC 9111 section 4.2.3: Age counts from the Date of the stored response, not from now.
    assertThat(hit.headers().all("Date")).containsExactly("Mon, 01 Jan 2024 00:00:00 GMT");
    assertThat(hit.headers().first("Age")).isEqualTo("20");
  }

  @Test
  void anEntryStoredWithoutADateIsSentWithTheTimeItWasStored() throws Exception {
    // As entries stored before Date was kept: replayed with their creation time, not now.
    HttpRequestView request = get("/undated");
    String key = http.keyOf(request, route);
    cachet.put(key, StoredResponse.wrap(200, HttpHeaders.of("Content-Type", "text/plain"), Body.of(new byte[] {'u'})),
        StoredResponse.codec(), dev.cachet.CachePolicy.ofTtl(Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(7));
    HttpCacheResult hit = read(request);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.headers().all("Date")).containsExactly("Thu, 01 Jan 2026 00:00:00 GMT");
    assertThat(hit.headers().first("Age")).isEqualTo("7");
  }
}
