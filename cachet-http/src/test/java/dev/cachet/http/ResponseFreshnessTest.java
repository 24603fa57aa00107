package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A response's own freshness (RFC 9111 section 4.2) bounds its entry's TTL, never extends it. */
class ResponseFreshnessTest extends HttpCacheFixture {
  private static final RoutePolicy MINUTE = RoutePolicy.ofTtl(Duration.ofSeconds(60));
  private final TestOrigin origin = new TestOrigin();

  private XCache read(String path, RoutePolicy route) throws Exception {
    return http.handleRead(get(path), route, origin).xCache();
  }

  /** Stores the response with {@code headers}, then says what a read {@code after} later gets. */
  private XCache after(Duration after, String path, RoutePolicy route, String... headers)
      throws Exception {
    origin.headers = HttpHeaders.of(headers);
    assertThat(read(path, route)).isEqualTo(XCache.MISS);
    clock.advance(after);
    return read(path, route);
  }

  @Test
  void aShorterMaxAgeBecomesTheEntrysTtl() throws Exception {
    assertThat(after(Duration.ofSeconds(9), "/a", MINUTE, "Cache-Control", "max-age=10"))
        .isEqualTo(XCache.HIT);
    clock.advance(Duration.ofSeconds(2));
    assertThat(read("/a", MINUTE)).isEqualTo(XCache.MISS);
  }

  @Test
  void sMaxAgeIsTheSharedCachesLifetimeOverMaxAge() throws Exception {
    assertThat(after(Duration.ofSeconds(6), "/s", MINUTE, "Cache-Control", "max-age=100, s-maxage=5"))
        .isEqualTo(XCache.MISS);
    // and a positive s-maxage lets a server-side cache keep what browsers may not
    assertThat(after(Duration.ofSeconds(29), "/s0", MINUTE, "Cache-Control", "max-age=0, s-maxage=30"))
        .isEqualTo(XCache.HIT);
  }

  @Test
  void aLongerFreshnessNeverExtendsTheRoutesTtl() throws Exception {
    assertThat(after(Duration.ofSeconds(61), "/l", MINUTE, "Cache-Control", "max-age=3600"))
        .isEqualTo(XCache.MISS);
  }

  @Test
  void anExpiresSoonerThanTheTtlBoundsIt() throws Exception {
    String[] headers = {"Date", "Sun, 06 Nov 1994 08:49:37 GMT", "Expires", "Sun, 06 Nov 1994 08:49:57 GMT"};
    assertThat(after(Duration.ofSeconds(19), "/e", MINUTE, headers)).isEqualTo(XCache.HIT);
    clock.advance(Duration.ofSeconds(2));
    assertThat(read("/e", MINUTE)).isEqualTo(XCache.MISS);
  }

  @Test
  void theAgeAResponseArrivesWithUsesItsFreshnessUp() throws Exception {
    assertThat(after(Duration.ofSeconds(4), "/age", MINUTE, "Cache-Control", "max-age=10", "Age", "7"))
        .isEqualTo(XCache.MISS);
    origin.headers = HttpHeaders.of("Cache-Control", "max-age=10", "Age", "10");
    HttpCacheResult used = http.handleRead(get("/used"), MINUTE, origin);
    assertThat(used.cacheStatus()).contains("detail=expired");
    // an Age that is not a number is ignored (RFC 9111 section 5.1)
    assertThat(after(Duration.ofSeconds(9), "/bad", MINUTE, "Cache-Control", "max-age=10", "Age", "x"))
        .isEqualTo(XCache.HIT);
  }

  @Test
  void aHitsAgeCountsTheAgeTheResponseArrivedWith() throws Exception {
    origin.headers = HttpHeaders.of("Cache-Control", "max-age=100", "Age", "7");
    http.handleRead(get("/relayed"), MINUTE, origin);
    clock.advance(Duration.ofSeconds(2));
    HttpCacheResult hit = http.handleRead(get("/relayed"), MINUTE, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.headers().all("Age")).containsExactly("9");
  }

  @Test
  void theRoutesStaleWindowsFollowTheShorterTtl() throws Exception {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofSeconds(60))
        .staleIfError(Duration.ofSeconds(30)).build();
    assertThat(after(Duration.ofSeconds(15), "/w", route, "Cache-Control", "max-age=10"))
        .isEqualTo(XCache.MISS);
    origin.status = 503;
    clock.advance(Duration.ofSeconds(15)); // 15 s past the fresh 10 s: inside stale-if-error
    assertThat(read("/w", route)).isEqualTo(XCache.STALE);
  }

  @Test
  void aHitsTtlIsTheEntrysRemainingFreshnessNotTheRoutes() throws Exception {
    RoutePolicy tenMinutes = RoutePolicy.builder().ttl(Duration.ofMinutes(10))
        .staleWhileRevalidate(Duration.ofSeconds(60)).build();
    origin.headers = HttpHeaders.of("Cache-Control", "max-age=2");
    assertThat(read("/short", tenMinutes)).isEqualTo(XCache.MISS);
    clock.advance(Duration.ofSeconds(1));
    HttpCacheResult hit = http.handleRead(get("/short"), tenMinutes, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(hit.cacheStatus()).isEqualTo("Cachet; hit; ttl=1");
    clock.advance(Duration.ofSeconds(4)); // 3 s past its 2 s of freshness, inside stale-while-revalidate
    HttpCacheResult stale = http.handleRead(get("/short"), tenMinutes, origin);
    assertThat(stale.xCache()).isEqualTo(XCache.STALE);
    assertThat(stale.cacheStatus()).isEqualTo("Cachet; hit; ttl=-3; detail=stale");
  }

  @Test
  void aJitteredEntrysTtlIsItsOwnShorterLifetime() throws Exception {
    RoutePolicy jittered = RoutePolicy.builder().ttl(Duration.ofSeconds(100)).jitter(0.5).build();
    assertThat(read("/j", jittered)).isEqualTo(XCache.MISS);
    clock.advance(Duration.ofSeconds(10));
    HttpCacheResult hit = http.handleRead(get("/j"), jittered, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    String status = hit.cacheStatus();
    assertThat(status).matches("Cachet; hit; ttl=\\d+");
    long ttl = Long.parseLong(status.substring(status.indexOf("ttl=") + 4));
    assertThat(ttl).isBetween(39L, 89L); // 50 s to 100 s of freshness, 10 s of it gone
    // it stops being a hit when its ttl says, not when the route's TTL would
    clock.advance(Duration.ofSeconds(ttl));
    assertThat(read("/j", jittered)).isEqualTo(XCache.HIT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(read("/j", jittered)).isEqualTo(XCache.MISS);
  }
}
