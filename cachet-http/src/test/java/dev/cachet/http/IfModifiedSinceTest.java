package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stored response with {@code Last-Modified} answers {@code If-Modified-Since} with {@code 304}
 * when it was not modified after the request's date; {@code If-None-Match} takes precedence, and
 * dates that cannot be read never produce a {@code 304}.
 */
class IfModifiedSinceTest extends HttpCacheFixture {
  private static final String MODIFIED = "Sun, 22 Nov 2026 10:00:00 GMT";
  private final TestOrigin origin = new TestOrigin();
  private final RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).build();

  @BeforeEach
  void storeAResponseWithLastModified() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "application/json", "Last-Modified", MODIFIED);
    assertThat(http.handleRead(get("/doc"), route, origin).xCache()).isEqualTo(XCache.MISS);
  }

  private HttpCacheResult read(String... headers) throws Exception {
    HttpRequestView.Builder b = HttpRequestView.builder("GET", "/doc");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.handleRead(b.build(), route, origin);
  }

  @Test
  void notModifiedSinceTheClientsDateIs304() throws Exception {
    HttpCacheResult same = read("If-Modified-Since", MODIFIED);
    HttpCacheResult later = read("If-Modified-Since", "Sun, 22 Nov 2026 11:00:00 GMT");

    for (HttpCacheResult r : new HttpCacheResult[] {same, later}) {
      assertThat(r.xCache()).isEqualTo(XCache.HIT);
      assertThat(r.status()).isEqualTo(304);
      assertThat(r.bodyLength()).isZero();
      assertThat(r.headers().first("ETag")).isNotNull();
    }
    assertThat(origin.runs()).isEqualTo(1);
  }

  @Test
  void theObsoleteDateFormsAreReadToo() throws Exception {
    // RFC 9110 section 5.6.7: a recipient accepts RFC 850 and asctime dates as well.
    for (String since : new String[] {"Sunday, 22-Nov-26 10:00:00 GMT", "Sun Nov 22 10:00:00 2026"}) {
      assertThat(read("If-Modified-Since", since).status()).as(since).isEqualTo(304);
    }
    assertThat(read("If-Modified-Since", "Sun Nov 22 09:59:59 2026").status()).isEqualTo(200);
  }

  @Test
  void modifiedSinceTheClientsDateIsServedWhole() throws Exception {
    HttpCacheResult earlier = read("If-Modified-Since", "Sun, 22 Nov 2026 09:59:59 GMT");
    assertThat(earlier.status()).isEqualTo(200);
    assertThat(text(earlier)).isEqualTo(origin.body);
  }

  @Test
  void ifNoneMatchTakesPrecedence() throws Exception {
    HttpCacheResult r = read("If-None-Match", "\"other\"", "If-Modified-Since", MODIFIED);
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void unreadableDatesAreIgnored() throws Exception {
    for (String bad : new String[] {"yesterday", "Sun, 22 Nov 2026 10:00:00 CET", "", "2026-11-22T10:00:00Z",
        "Monday, 22-Nov-26 10:00:00 GMT"}) {
      assertThat(read("If-Modified-Since", bad).status()).as(bad).isEqualTo(200);
    }
  }

  @Test
  void withoutLastModifiedNothingIsEver304ByDate() throws Exception {
    origin.headers = HttpHeaders.of("Content-Type", "application/json");
    http.handleRead(get("/plain"), route, origin);
    HttpCacheResult r = http.handleRead(HttpRequestView.builder("GET", "/plain")
        .header("If-Modified-Since", "Sun, 22 Nov 2099 10:00:00 GMT").build(), route, origin);
    assertThat(r.xCache()).isEqualTo(XCache.HIT);
    assertThat(r.status()).isEqualTo(200);
  }
}
