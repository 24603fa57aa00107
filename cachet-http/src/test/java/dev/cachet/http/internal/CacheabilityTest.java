package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.RoutePolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CacheabilityTest {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(1));
  private final HttpCacheConfig config = HttpCacheConfig.builder().maxBodyBytes(100).build();

  private @Nullable String verdict(RoutePolicy r, HttpCacheConfig c, int status, HttpHeaders h, long length) {
    return Cacheability.notStorableBecause(false, r, c, status, h, null, length);
  }

  private @Nullable String verdict(int status, HttpHeaders h) {
    return verdict(route, config, status, h, 10);
  }

  @Test
  void aPlain200IsStored() {
    assertThat(verdict(200, HttpHeaders.of("Content-Type", "application/json"))).isNull();
  }

  @Test
  void onlyConfiguredStatuses() {
    assertThat(verdict(404, HttpHeaders.empty())).isEqualTo("status");
    assertThat(verdict(500, HttpHeaders.empty())).isEqualTo("status");
    assertThat(verdict(201, HttpHeaders.empty())).isEqualTo("status");
    RoutePolicy with404 = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).cacheableStatuses(200, 404).build();
    assertThat(verdict(with404, config, 404, HttpHeaders.empty(), 1)).isNull();
  }

  @Test
  void neverWithSetCookie() {
    assertThat(verdict(200, HttpHeaders.of("Set-Cookie", "s=1"))).isEqualTo("set-cookie");
    assertThat(verdict(200, HttpHeaders.of("set-cookie2", "s=1"))).isEqualTo("set-cookie");
  }

  @Test
  void neverWhenTheResponseSaysNoStoreOrPrivate() {
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=60, no-store"))).isEqualTo("no-store");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "Private"))).isEqualTo("private");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "private=\"X-A\""))).isEqualTo("private");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "public, max-age=60"))).isNull();
  }

  @Test
  void neverWhenTheResponseSaysNoCacheInAnyForm() {
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "no-cache"))).isEqualTo("no-cache");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "public, max-age=60, No-Cache"))).isEqualTo("no-cache");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "no-cache=\"Set-Cookie, X-A\"")))
        .as("qualified: Cachet cannot store a response without some of its fields").isEqualTo("no-cache");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=60", "Cache-Control", "no-cache")))
        .as("on a second field line").isEqualTo("no-cache");
  }

  @Test
  void neverWhenTheResponseIsStaleOnArrivalForASharedCache() {
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "s-maxage=0"))).isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=600, s-maxage=0"))).isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=0"))).isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=\"00\""))).isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=-1"))).as("not delta-seconds").isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=0, s-maxage=300")))
        .as("s-maxage speaks for shared caches").isNull();
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "max-age=5"))).as("the route's TTL rules").isNull();
    assertThat(verdict(200, HttpHeaders.of("Cache-Control", "must-revalidate"))).isNull();
  }

  @Test
  void anExpiresInThePastOrNotADateIsExpiredOnArrival() {
    // RFC 9111 section 5.3: an invalid Expires, "0" above all, means already expired.
    for (String expires : new String[] {"Thu, 01 Jan 1970 00:00:00 GMT", "0", "-1", "tomorrow",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"}) {
      assertThat(verdict(200, HttpHeaders.of("Expires", expires))).as(expires).isEqualTo("expired");
    }
    assertThat(verdict(200, HttpHeaders.of("Expires", "Fri, 01 Jan 2100 00:00:00 GMT", "Expires", "0")))
        .as("two values: not one date").isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Expires", "Fri, 01 Jan 2100 00:00:00 GMT"))).isNull();
    assertThat(verdict(200, HttpHeaders.of("Expires", "Friday, 01-Jan-49 00:00:00 GMT"))).as("2049").isNull();
    assertThat(verdict(200, HttpHeaders.of("Expires", "Fri Jan  1 00:00:00 2100"))).isNull();
  }

  @Test
  void anExpiresIsJudgedAgainstTheResponsesOwnDate() {
    String date = "Fri, 01 Jan 2100 00:00:00 GMT";
    assertThat(verdict(200, HttpHeaders.of("Date", date, "Expires", date))).isEqualTo("expired");
    assertThat(verdict(200, HttpHeaders.of("Date", date, "Expires", "Fri, 01 Jan 2100 00:00:01 GMT"))).isNull();
  }

  @Test
  void maxAgeAndSMaxageOverrideExpires() {
    String past = "Thu, 01 Jan 1970 00:00:00 GMT";
    assertThat(verdict(200, HttpHeaders.of("Expires", past, "Cache-Control", "max-age=60"))).isNull();
    assertThat(verdict(200, HttpHeaders.of("Expires", "0", "Cache-Control", "s-maxage=60"))).isNull();
  }

  @Test
  void privateIsAllowedWhereEntriesArePerUser() {
    RoutePolicy perUser = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByPrincipal(true).build();
    assertThat(verdict(perUser, config, 200, HttpHeaders.of("Cache-Control", "private"), 1)).isNull();
    assertThat(verdict(perUser, config, 200, HttpHeaders.of("Cache-Control", "private, no-store"), 1))
        .isEqualTo("no-store");
  }

  @Test
  void notStreamingResponses() {
    assertThat(verdict(200, HttpHeaders.of("Content-Type", "Text/Event-Stream; charset=utf-8"))).isEqualTo("streaming");
    assertThat(Cacheability.notStorableBecause(false, route, config, 200, HttpHeaders.empty(), "streaming", 0))
        .isEqualTo("streaming");
    assertThat(Cacheability.notStorableBecause(false, route, config, 200, HttpHeaders.empty(), "too-large", 0))
        .isEqualTo("too-large");
    // Refused by the adapter (a container cookie, a new session): said so, not called streaming.
    assertThat(Cacheability.notStorableBecause(false, route, config, 200, HttpHeaders.empty(), "refused", 0))
        .isEqualTo("refused");
  }

  @Test
  void notOverTheSizeCap() {
    assertThat(verdict(route, config, 200, HttpHeaders.empty(), 100)).isNull();
    assertThat(verdict(route, config, 200, HttpHeaders.empty(), 101)).isEqualTo("too-large");
  }

  @Test
  void notAHeadResponse() {
    assertThat(Cacheability.notStorableBecause(true, route, config, 200, HttpHeaders.empty(), null, 0))
        .isEqualTo("head");
  }

  @Test
  void varyMustBeCoveredByTheRoute() {
    assertThat(verdict(200, HttpHeaders.of("Vary", "*"))).isEqualTo("vary");
    assertThat(verdict(200, HttpHeaders.of("Vary", "Accept-Language"))).isEqualTo("vary");
    RoutePolicy byLang = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByHeaders("Accept-Language").build();
    assertThat(verdict(byLang, config, 200, HttpHeaders.of("Vary", "accept-language"), 1)).isNull();
    HttpCacheConfig ignoring = HttpCacheConfig.builder().ignoredVaryHeaders("Origin").build();
    assertThat(verdict(route, ignoring, 200, HttpHeaders.of("Vary", "Origin"), 1)).isNull();
    assertThat(verdict(route, ignoring, 200, HttpHeaders.of("Vary", "Origin, Accept"), 1)).isEqualTo("vary");
  }
}
