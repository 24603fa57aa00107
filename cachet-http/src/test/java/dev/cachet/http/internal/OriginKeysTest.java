package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.HttpRequestView;
import dev.cachet.http.RoutePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Host and forwarding headers are part of keys, injectively: no poisoning through them. */
class OriginKeysTest {
  private final RequestKeys keys = new RequestKeys(new QueryNormalizer(java.util.List.of()));
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(1));

  private String key(HttpRequestView view) {
    return keys.key(keys.parse(view), view, route, null);
  }

  @Test
  void aForgedForwardedHostGetsItsOwnEntry() {
    HttpRequestView plain = HttpRequestView.builder("GET", "/a").header("Host", "api.example.com").build();
    HttpRequestView forged = HttpRequestView.builder("GET", "/a").header("Host", "api.example.com")
        .header("X-Forwarded-Host", "evil.example").build();
    assertThat(key(plain)).isEqualTo("GET:/a|o:host=api.example.com");
    assertThat(key(forged)).isNotEqualTo(key(plain));
  }

  @Test
  void hostsAreCaseInsensitiveButDistinct() {
    assertThat(key(HttpRequestView.builder("GET", "/a").header("Host", "API.example.com").build()))
        .isEqualTo(key(HttpRequestView.builder("GET", "/a").header("Host", "api.example.com").build()));
    assertThat(key(HttpRequestView.builder("GET", "/a").header("Host", "a.example").build()))
        .isNotEqualTo(key(HttpRequestView.builder("GET", "/a").header("Host", "b.example").build()));
  }

  @Test
  void separatorsInsideValuesCannotForgeAnotherHeaderSet() {
    HttpRequestView crafted = HttpRequestView.builder("GET", "/a").header("Host", "a;x-forwarded-host=b").build();
    HttpRequestView real = HttpRequestView.builder("GET", "/a").header("Host", "a").header("X-Forwarded-Host", "b").build();
    assertThat(key(crafted)).isNotEqualTo(key(real));
  }
}
