package dev.cachet.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.Cachet;
import dev.cachet.fuzz.FuzzInput;
import dev.cachet.fuzz.FuzzMode;
import dev.cachet.fuzz.FuzzRuns;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import dev.cachet.http.fuzz.FuzzRequests.Raw;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys of reads ({@link HttpCache#keyOf}, over {@code RequestKeys}, {@code PathNormalizer},
 * {@code QueryNormalizer} and {@code PercentEncoding}): any strings give a key or {@code null},
 * never an exception; and two requests get the same key exactly when they mean the same
 * ({@link RequestMeaning}): same normalized path, same values of every parameter that is not
 * ignored, same vary-by header values, same identity, same Host and forwarding headers. Pairs
 * are spellings of one logical request, or of two that differ in one place.
 */
class RequestKeyFuzzTest {
  private static final List<String> IGNORED = List.of("utm_*", "fbclid");
  private static final Cachet CACHET = Cachet.builder().namespace("fz").build();
  private static final HttpCache HTTP = HttpCache.builder(CACHET)
      .config(HttpCacheConfig.builder().ignoredParameters(IGNORED.toArray(String[]::new)).build())
      .build();
  private static final RoutePolicy PLAIN = RoutePolicy.ofTtl(Duration.ofMinutes(1));
  private static final RoutePolicy VARYING = RoutePolicy.builder().ttl(Duration.ofMinutes(1))
      .varyByHeaders("Accept", "X-Tenant").varyByPrincipal(true).build();
  private static final RoutePolicy TEMPLATED = RoutePolicy.builder().ttl(Duration.ofMinutes(1))
      .keyTemplate("item:{id}").tags("item:{id}").varyByHeaders("Accept").build();

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @AfterAll
  static void close() {
    CACHET.close();
  }

  @FuzzTest
  void keyOfAnyRequestIsAKeyOrNull(FuzzedDataProvider data) {
    checkNeverThrows(FuzzInput.of(data));
  }

  @FuzzTest
  void requestsShareAKeyExactlyWhenTheyMeanTheSame(FuzzedDataProvider data) {
    checkPair(FuzzInput.of(data));
  }

  @Test
  void keyOfAnyRequestIsAKeyOrNullOnRandomRequests() {
    FuzzRuns.repeat("http-key-any", 5_000, RequestKeyFuzzTest::checkNeverThrows);
  }

  @Test
  void requestsShareAKeyExactlyWhenTheyMeanTheSameOnRandomPairs() {
    FuzzRuns.repeat("http-key-pairs", 5_000, RequestKeyFuzzTest::checkPair);
  }

  static void checkNeverThrows(FuzzInput in) {
    Raw request = FuzzRequests.arbitrary(in);
    for (RoutePolicy route : List.of(PLAIN, VARYING, TEMPLATED)) {
      String key;
      try {
        key = HTTP.keyOf(request, route);
      } catch (RuntimeException e) {
        throw new AssertionError("keyOf threw for " + request, e);
      }
      if (key != null && route != TEMPLATED) {
        assertThat(key).startsWith("GET:/");
      }
    }
  }

  static void checkPair(FuzzInput in) {
    Raw first;
    Raw second;
    switch (in.intIn(0, 5)) {
      case 0 -> {
        first = FuzzRequests.arbitrary(in);
        second = in.bool() ? FuzzRequests.arbitrary(in) : first;
      }
      case 1, 2 -> {
        FuzzRequests.Logical l = FuzzRequests.logical(in);
        first = FuzzRequests.render(l, in);
        second = FuzzRequests.render(l, in);
      }
      default -> {
        FuzzRequests.Logical l = FuzzRequests.logical(in);
        first = FuzzRequests.render(l, in);
        second = FuzzRequests.render(FuzzRequests.changed(l, in), in);
      }
    }
    for (RoutePolicy route : List.of(PLAIN, VARYING)) {
      String k1 = HTTP.keyOf(first, route);
      String k2 = HTTP.keyOf(second, route);
      List<Object> m1 = meaning(first, route);
      List<Object> m2 = meaning(second, route);
      String shown = "\n  " + first + "\n  " + second + "\n  keys " + k1 + " / " + k2
          + "\n  meanings " + m1 + " / " + m2 + "\n  route " + route.varyByHeaders();
      assertThat(k1 == null).as("not cacheable exactly when unsafe:" + shown).isEqualTo(m1 == null);
      assertThat(k2 == null).as("not cacheable exactly when unsafe:" + shown).isEqualTo(m2 == null);
      if (k1 != null && k2 != null) {
        assertThat(k1.equals(k2)).as("same key exactly when same meaning:" + shown)
            .isEqualTo(m1.equals(m2));
      }
    }
  }

  /** Everything a key of {@code route} must tell apart, or {@code null} when it is not cached. */
  static List<Object> meaning(Raw r, RoutePolicy route) {
    var path = RequestMeaning.path(r.rawPath());
    var query = RequestMeaning.query(r.rawQuery(), IGNORED);
    if (path == null || query == null) {
      return null;
    }
    List<Object> m = new ArrayList<>(List.of(path, query));
    for (String header : route.varyByHeaders()) {
      m.add(Objects.requireNonNullElse(RequestMeaning.header(r.headers(header)), "<absent>"));
    }
    if (route.varyByPrincipal()) {
      m.add(Objects.requireNonNullElse(r.identity(), "<anonymous>"));
    }
    m.add(RequestMeaning.origin(r::headers));
    return m;
  }
}
