package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Responses of routes that vary by request tell caches after Cachet so: {@code Cache-Control:
 * private} where the route varies by the caller, {@code Vary} with the route's vary-by headers,
 * on misses, hits, {@code 304}s, responses not stored and responses that stream; other routes'
 * responses are left as their handlers wrote them.
 */
class DownstreamHeadersTest extends HttpCacheFixture {
  private final TestOrigin origin = new TestOrigin();
  private final RoutePolicy perUser =
      RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByPrincipal(true).build();
  private final RoutePolicy perLanguage =
      RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByHeaders("Accept-Language").build();
  private final RoutePolicy shared = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).build();

  private static HttpRequestView as(String user) {
    return HttpRequestView.builder("GET", "/me").header("Authorization", "Bearer " + user)
        .identity(user).build();
  }

  @Test
  void perCallerResponsesArePrivateOnMissHitAnd304() throws Exception {
    HttpCacheResult miss = http.handleRead(as("ada"), perUser, origin);
    HttpCacheResult hit = http.handleRead(as("ada"), perUser, origin);
    HttpRequestView conditional = HttpRequestView.builder("GET", "/me")
        .header("Authorization", "Bearer ada").header("If-None-Match", hit.headers().first("ETag"))
        .identity("ada").build();
    HttpCacheResult notModified = http.handleRead(conditional, perUser, origin);

    assertThat(miss.xCache()).isEqualTo(XCache.MISS);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(notModified.status()).isEqualTo(304);
    for (HttpCacheResult r : new HttpCacheResult[] {miss, hit, notModified}) {
      assertThat(r.headers().all("Cache-Control")).containsExactly("private");
    }
  }

  @Test
  void aHandlersCacheControlGetsPrivateAppendedUnlessItDecidedWhoMayStore() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "application/json", "Cache-Control", "max-age=60");
    assertThat(http.handleRead(as("ada"), perUser, origin).headers().all("Cache-Control"))
        .containsExactly("max-age=60, private");
    assertThat(http.handleRead(as("ada"), perUser, origin).headers().all("Cache-Control"))
        .containsExactly("max-age=60, private");

    origin.headers = HttpHeaders.of("Content-Type", "application/json", "Cache-Control", "public, max-age=5");
    assertThat(http.handleRead(as("bob"), perUser, origin).headers().all("Cache-Control"))
        .containsExactly("public, max-age=5");
  }

  /**
   * Where a later writer sets a stricter {@code Cache-Control} on responses that have none
   * (Spring Security's {@code no-store}), Cachet leaves those alone and only merges into a
   * handler's own.
   */
  @Test
  void withoutPrivateWhenUnsetOnlyAHandlersOwnCacheControlIsMadePrivate() throws Exception {
    reconfigure(HttpCacheConfig.builder().privateWhenUnset(false).build());
    HttpCacheResult miss = http.handleRead(as("ada"), perUser, origin);
    HttpCacheResult hit = http.handleRead(as("ada"), perUser, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    assertThat(miss.headers().contains("Cache-Control")).isFalse();
    assertThat(hit.headers().contains("Cache-Control")).isFalse();

    origin.headers = HttpHeaders.of("Content-Type", "application/json", "Cache-Control", "max-age=60");
    assertThat(http.handleRead(as("bob"), perUser, origin).headers().all("Cache-Control"))
        .containsExactly("max-age=60, private");
    origin.stream = true;
    origin.headers = HttpHeaders.of("Content-Type", "application/json");
    http.handleRead(as("cy"), perUser, origin);
    assertThat(origin.client.committedWith().contains("Cache-Control")).isFalse();
  }

  @Test
  void responsesNotStoredAreStillPrivate() throws Exception {
    origin.status = 404;
    HttpCacheResult notFound = http.handleRead(as("ada"), perUser, origin);
    assertThat(notFound.xCache()).isEqualTo(XCache.MISS);
    assertThat(notFound.headers().all("Cache-Control")).containsExactly("private");

    origin.status = 200;
    HttpRequestView noIdentity =
        HttpRequestView.builder("GET", "/me").header("Authorization", "Bearer ?").build();
    HttpCacheResult bypassed = http.handleRead(noIdentity, perUser, origin);
    assertThat(bypassed.xCache()).isEqualTo(XCache.BYPASS);
    assertThat(origin.client.committedWith().all("Cache-Control")).containsExactly("private");
  }

  @Test
  void aStreamedPerCallerResponseAsksForPrivate() throws Exception {
    origin.stream = true;
    HttpCacheResult streamed = http.handleRead(as("ada"), perUser, origin);
    assertThat(streamed.committed()).isTrue();
    assertThat(origin.client.committedWith().all("Cache-Control")).containsExactly("private");
  }

  @Test
  void varyNamesTheRoutesVaryByHeadersOnce() throws Exception {
    HttpRequestView french =
        HttpRequestView.builder("GET", "/greeting").header("Accept-Language", "fr").build();
    HttpCacheResult miss = http.handleRead(french, perLanguage, origin);
    HttpCacheResult hit = http.handleRead(french, perLanguage, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    for (HttpCacheResult r : new HttpCacheResult[] {miss, hit}) {
      assertThat(r.headers().all("Vary")).containsExactly("accept-language");
      assertThat(r.headers().contains("Cache-Control")).isFalse();
    }

    origin.headers = HttpHeaders.of("Content-Type", "application/json", "Vary", "Accept-Language");
    HttpRequestView german =
        HttpRequestView.builder("GET", "/greeting").header("Accept-Language", "de").build();
    assertThat(http.handleRead(german, perLanguage, origin).headers().all("Vary"))
        .containsExactly("Accept-Language");
  }

  @Test
  void sharedRoutesAreLeftAsTheirHandlersWroteThem() throws Exception {
    HttpCacheResult miss = http.handleRead(get("/shared"), shared, origin);
    HttpCacheResult hit = http.handleRead(get("/shared"), shared, origin);
    assertThat(hit.xCache()).isEqualTo(XCache.HIT);
    for (HttpCacheResult r : new HttpCacheResult[] {miss, hit}) {
      assertThat(r.headers().contains("Cache-Control")).isFalse();
      assertThat(r.headers().contains("Vary")).isFalse();
    }
  }
}
