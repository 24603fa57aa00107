package dev.cachet.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpRequestView;
import dev.cachet.http.RoutePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Minimal reproducers of what fuzzing the HTTP layer found (docs/fuzzing.md); each failed until
 * its bug was fixed, and keeps it fixed.
 */
class HttpFuzzFindingsTest {

  /**
   * Found by RequestKeyFuzzTest: vary-by header values are trimmed with {@link String#trim},
   * which strips every control character, not only the SP and HTAB around a field value. A
   * request with {@code Accept: <VT>application/json} shares the entry of
   * {@code Accept: application/json}, though the origin may answer it differently: a response
   * computed for one is served for the other.
   */
  @Test
  void varyHeaderValuesThatDifferInControlCharactersGetDifferentKeys() {
    RoutePolicy route =
        RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByHeaders("Accept").build();
    try (Cachet cachet = Cachet.builder().build()) {
      HttpCache http = HttpCache.builder(cachet).build();
      HttpRequestView odd = HttpRequestView.builder("GET", "/items")
          .header("Accept", "\u000bapplication/json").build();
      HttpRequestView plain =
          HttpRequestView.builder("GET", "/items").header("Accept", "application/json").build();
      HttpRequestView spaced =
          HttpRequestView.builder("GET", "/items").header("Accept", " application/json\t").build();

      assertThat(http.keyOf(spaced, route)).isEqualTo(http.keyOf(plain, route));
      assertThat(http.keyOf(odd, route)).isNotEqualTo(http.keyOf(plain, route));
    }
  }
}
