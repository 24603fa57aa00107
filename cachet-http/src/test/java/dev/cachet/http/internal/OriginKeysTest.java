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

  /** The origin a filter applied (and hid the headers of) is keyed, after the headers seen. */
  @Test
  void theEffectiveOriginIsKeyedAfterTheHeaders() {
    HttpRequestView plain = HttpRequestView.builder("GET", "/a").header("Host", "api.example.com")
        .effectiveOrigin("http://api.example.com:80").build();
    HttpRequestView applied = HttpRequestView.builder("GET", "/a").header("Host", "api.example.com")
        .effectiveOrigin("https://EVIL.example:443").build();
    assertThat(key(plain)).isEqualTo("GET:/a|o:host=api.example.com;e=http://api.example.com:80");
    assertThat(key(applied)).isEqualTo("GET:/a|o:host=api.example.com;e=https://evil.example:443");
    assertThat(key(HttpRequestView.builder("GET", "/a").effectiveOrigin("http://h:1;e=x").build()))
        .as("separators escaped").isEqualTo("GET:/a|o:e=http://h:1%3Be%3Dx");
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

  private String forwarded(String value) {
    return key(HttpRequestView.builder("GET", "/a").header("Host", "a.example").header("Forwarded", value).build());
  }

  @Test
  void forwardedKeysOnlyItsHostAndProtoNotTheClientOrProxy() {
    // Every client behind an RFC 7239 proxy would otherwise get its own entries.
    assertThat(forwarded("for=203.0.113.7;proto=https;host=api.example.com"))
        .isEqualTo(forwarded("for=203.0.113.8;proto=https;host=api.example.com"))
        .isEqualTo(forwarded("Host=\"API.example.com\"; by=10.0.0.1 ;Proto=HTTPS;for=\"[2001:db8::1]:4711\""));
    assertThat(forwarded("for=1.1.1.1;host=api.example.com"))
        .isNotEqualTo(forwarded("for=1.1.1.1;host=evil.example"))
        .isNotEqualTo(forwarded("for=1.1.1.1;host=api.example.com;proto=http"))
        .isNotEqualTo(forwarded("for=1.1.1.1"));
    assertThat(forwarded("for=1.1.1.1")).isEqualTo(forwarded("for=2.2.2.2"))
        .isNotEqualTo(key(HttpRequestView.builder("GET", "/a").header("Host", "a.example").build()));
    assertThat(forwarded("host=example.com:8080")).isEqualTo(forwarded("host=\"example.com:8080\""));
  }

  @Test
  void forwardedElementsKeepTheirPlace() {
    // An application reads the first element: a host in the second one means something else.
    assertThat(forwarded("for=a, host=x.example")).isNotEqualTo(forwarded("host=x.example"))
        .isNotEqualTo(forwarded("host=x.example, for=a"));
    assertThat(forwarded("for=a, host=x.example")).isEqualTo(forwarded("for=b,host=x.example"));
  }

  @Test
  void aForwardedValueThatDoesNotParseIsKeyedWholeAndApart() {
    assertThat(forwarded("host=\"unterminated")).isNotEqualTo(forwarded("host=\"unterminated\""));
    assertThat(forwarded("api.example.com")).isNotEqualTo(forwarded("for=x"))
        .isNotEqualTo(forwarded("host=api.example.com"));
    assertThat(forwarded("host=a;host=b")).isNotEqualTo(forwarded("host=a"))
        .isNotEqualTo(forwarded("host=b"));
    assertThat(forwarded("~")).as("no value kept whole reads as a parsed one").isNotEqualTo(forwarded("for=x"));
  }
}
