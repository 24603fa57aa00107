package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RoutePatternTest {
  private final RoutePattern items = RoutePattern.of("/spaces/{spaceId}/items/{itemId}");

  @Test
  void matchesAndDecodesVariables() {
    assertThat(items.variables()).containsExactly("spaceId", "itemId");
    assertThat(items.match("/spaces/12/items/a%2Fb")).isEqualTo(Map.of("spaceId", "12", "itemId", "a/b"));
    assertThat(items.match("/spaces/12/items/caf%C3%A9+x")).isEqualTo(Map.of("spaceId", "12", "itemId", "caf\u00e9+x"));
    assertThat(items.match("/spaces/12/items")).isNull();
    assertThat(items.match("/spaces/12/items/4/x")).isNull();
    assertThat(items.match("/spaces/12/things/4")).isNull();
  }

  @Test
  void matchesTheCanonicalFormOfOddSpellings() {
    assertThat(items.match("/sp%61ces//12/./items/4/")).isEqualTo(Map.of("spaceId", "12", "itemId", "4"));
    assertThat(items.match("/spaces/12/x/../items/4")).isEqualTo(Map.of("spaceId", "12", "itemId", "4"));
    assertThat(items.match("/spaces/12/items/%2e%2e")).isNull();
    assertThat(items.match("/spaces/12/items/%FF")).as("not UTF-8").isNull();
    assertThat(RoutePattern.of("/caf\u00e9").match("/caf%c3%a9")).isEqualTo(Map.of());
  }

  @Test
  void aTrailingDoubleStarMatchesAnyRest() {
    RoutePattern api = RoutePattern.of("/api/{version}/**");
    assertThat(api.match("/api/v1")).isEqualTo(Map.of("version", "v1"));
    assertThat(api.match("/api/v1/a/b/c")).isEqualTo(Map.of("version", "v1"));
    assertThat(api.match("/other/v1")).isNull();
    assertThat(RoutePattern.of("/**").match("/anything/at/all")).isEqualTo(Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"spaces", "/a/x{id}", "/a/{id}x", "/a/**/b", "/a/*", "/{id}/{id}", "/a/{}", "/a/{1}", "/a/.."})
  void badPatternsFailFast(String pattern) {
    assertThatThrownBy(() -> RoutePattern.of(pattern)).isInstanceOf(IllegalArgumentException.class);
  }
}
