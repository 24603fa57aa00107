package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A successful write's {@code Location} ({@code 2xx}) and {@code Content-Location} name resources
 * it changed (RFC 9111, section 4.4): they are invalidated as if written to, on the request's host
 * only, never for a redirect's {@code Location}.
 */
class ChangedLocationsTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.ofTtl(Duration.ofMinutes(5));
  private final TestOrigin origin = new TestOrigin();

  private static final List<String> READS = List.of(
      "/users/5", "/users/5/orders", "/users/5/orders/9", "/users/5/orders/8", "/users/6", "/orders");

  private void cacheAll() throws Exception {
    for (String r : READS) {
      http.handleRead(request("GET", r, null), route, origin);
    }
    assertThat(gone()).isEmpty();
  }

  private Set<String> gone() {
    Set<String> out = new LinkedHashSet<>();
    for (String r : READS) {
      if (!cachet.exists(http.keyOf(request("GET", r, null), route))) {
        out.add(r);
      }
    }
    return out;
  }

  private void post(int status, String header, String value, String... requestHeaders) throws Exception {
    HttpRequestView.Builder b = HttpRequestView.builder("POST", "/orders");
    for (int i = 0; i < requestHeaders.length; i += 2) {
      b.header(requestHeaders[i], requestHeaders[i + 1]);
    }
    origin.status = status;
    origin.headers = HttpHeaders.of("Content-Type", "application/json", header, value);
    http.handleWrite(b.build(), InvalidationPolicy.automatic(), origin);
    origin.status = 200;
  }

  @Test
  void aCreatedResourceElsewhereIsInvalidatedWithItsExactAncestors() throws Exception {
    cacheAll();
    post(201, "Location", "/users/5/orders/9");
    assertThat(gone()).containsExactlyInAnyOrder("/orders", "/users/5/orders/9", "/users/5/orders", "/users/5");
  }

  @Test
  void aRelativeContentLocationResolvesAgainstTheRequestPath() throws Exception {
    cacheAll();
    post(200, "Content-Location", "users/6");
    assertThat(gone()).containsExactlyInAnyOrder("/orders", "/users/6");
  }

  @Test
  void anAbsoluteLocationCountsOnlyOnTheRequestsHost() throws Exception {
    cacheAll();
    post(201, "Location", "https://evil.example/users/5", "Host", "api.example.com");
    assertThat(gone()).containsExactly("/orders");

    cacheAll();
    post(201, "Location", "https://API.example.com:8443/users/5", "Host", "api.example.com:8080");
    assertThat(gone()).containsExactlyInAnyOrder("/orders", "/users/5", "/users/5/orders",
        "/users/5/orders/9", "/users/5/orders/8");

    cacheAll();
    post(201, "Location", "http://public.example/users/6", "Host", "10.0.0.7:8080",
        "X-Forwarded-Host", "public.example");
    assertThat(gone()).containsExactlyInAnyOrder("/orders", "/users/6");

    cacheAll();
    post(201, "Location", "http://fwd.example/users/6", "Host", "10.0.0.7",
        "Forwarded", "for=1.2.3.4;host=fwd.example;proto=http");
    assertThat(gone()).containsExactlyInAnyOrder("/orders", "/users/6");
  }

  @Test
  void aRedirectsLocationIsWhereToGoNotWhatChanged() throws Exception {
    cacheAll();
    post(303, "Location", "/users/5");
    assertThat(gone()).containsExactly("/orders");
  }

  @Test
  void malformedOrForeignSchemeReferencesNameNothing() throws Exception {
    for (String bad : List.of("http://[bad", "mailto:a@users", "/users/5 x", "javascript:alert(1)", "")) {
      cacheAll();
      post(201, "Location", bad, "Host", "api.example.com");
      assertThat(gone()).as(bad).containsExactly("/orders");
    }
  }

  @Test
  void noAutomaticHierarchyMeansNoLocationInvalidationEither() throws Exception {
    cacheAll();
    origin.status = 201;
    origin.headers = HttpHeaders.of("Location", "/users/5");
    http.handleWrite(request("POST", "/orders", null),
        InvalidationPolicy.builder().hierarchy(HierarchyMode.NONE).build(), origin);
    assertThat(gone()).isEmpty();
  }

  @Test
  void thePlanNamesTheLocationsTags() {
    InvalidationPlan plan = http.invalidator().plan(request("PUT", "/orders", null), 201,
        HttpHeaders.of("Location", "/users/5/orders/9"), InvalidationPolicy.automatic());
    assertThat(plan.tags()).contains("t:/users/5/orders/9", "p:/users/5/orders", "p:/users/5", "p:/users");
    assertThat(http.invalidator().plan(request("PUT", "/orders", null), 201, InvalidationPolicy.automatic()).tags())
        .doesNotContain("t:/users/5/orders/9");
  }
}
