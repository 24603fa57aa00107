package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.http.HttpRequestView;
import dev.cachet.http.RoutePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestKeysTest {
  private final RequestKeys keys = new RequestKeys(new QueryNormalizer(List.of("utm_*")));
  private final RoutePolicy plain = RoutePolicy.ofTtl(Duration.ofMinutes(1));

  private String key(HttpRequestView r, RoutePolicy route) {
    RequestKeys.Parsed p = keys.parse(r);
    assertThat(p).isNotNull();
    return keys.key(p, r, route, route.varyByPrincipal() ? r.identity() : null);
  }

  private String key(String path, String query) {
    return key(HttpRequestView.builder("GET", path).rawQuery(query).build(), plain);
  }

  @Test
  void readableKeyOfMethodPathAndSortedQuery() {
    assertThat(key("/spaces/1/items", "b=2&a=1")).isEqualTo("GET:/spaces/1/items?a=1&b=2");
    assertThat(key("/spaces/1/items", null)).isEqualTo("GET:/spaces/1/items");
  }

  @Test
  void parameterOrderDoesNotMatter() {
    assertThat(key("/items", "a=1&b=2")).isEqualTo(key("/items", "b=2&a=1"));
  }

  @Test
  void ignoredParametersDoNotSplitEntries() {
    assertThat(key("/items", "a=1&utm_source=mail")).isEqualTo(key("/items", "a=1"));
  }

  @Test
  void equivalentEncodingsShareAKeyButEncodedSlashesDoNot() {
    assertThat(key("/it%65ms", "q=a+b")).isEqualTo(key("/items", "q=a%20b"));
    assertThat(key("/a%2Fb", null)).isNotEqualTo(key("/a/b", null));
    assertThat(keys.parse(HttpRequestView.builder("GET", "/a/./b//c").build()))
        .as("dot and empty segments: a framework may match them otherwise").isNull();
  }

  @Test
  void craftedValuesCannotCollideWithSeparateParameters() {
    assertThat(key("/x", "a=1%26b%3D2")).isNotEqualTo(key("/x", "a=1&b=2"));
    assertThat(key("/x", "a=%7Ch:accept%3Dx")).doesNotContain("|h:");
  }

  @Test
  void varyByHeadersAppendsEscapedValuesInNameOrder() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1))
        .varyByHeaders("X-Tenant", "Accept").build();
    HttpRequestView r = HttpRequestView.builder("GET", "/spaces/1/items").rawQuery("b=2&a=1")
        .header("Accept", "application/json").header("X-Tenant", "t1").build();
    assertThat(key(r, route)).isEqualTo("GET:/spaces/1/items?a=1&b=2|h:accept=application/json|h:x-tenant=t1");
    HttpRequestView absent = HttpRequestView.builder("GET", "/spaces/1/items").rawQuery("a=1&b=2").build();
    assertThat(key(absent, route)).isEqualTo("GET:/spaces/1/items?a=1&b=2|h:accept|h:x-tenant");
    HttpRequestView empty = HttpRequestView.builder("GET", "/spaces/1/items").rawQuery("a=1&b=2")
        .header("Accept", "").header("X-Tenant", "").build();
    assertThat(key(empty, route)).isNotEqualTo(key(absent, route));
  }

  @Test
  void aHeaderValueCannotForgeAnotherHeaderOrAUser() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1))
        .varyByHeaders("Accept", "X-Tenant").varyByPrincipal(true).build();
    HttpRequestView forged = HttpRequestView.builder("GET", "/x")
        .header("Accept", "a|h:x-tenant=t2|u:alice").identity("mallory").build();
    HttpRequestView honest = HttpRequestView.builder("GET", "/x")
        .header("Accept", "a").header("X-Tenant", "t2").identity("alice").build();
    assertThat(key(forged, route)).isNotEqualTo(key(honest, route));
    assertThat(key(forged, route)).endsWith("|u:mallory").contains("a%7Ch:x-tenant=t2%7Cu:alice");
  }

  @Test
  void perUserKeysIsolateUsersAndAnonymousCallers() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByPrincipal(true).build();
    String alice = key(HttpRequestView.builder("GET", "/me").identity("alice").build(), route);
    String bob = key(HttpRequestView.builder("GET", "/me").identity("bob").build(), route);
    String anonymous = key(HttpRequestView.builder("GET", "/me").build(), route);
    String pipe = key(HttpRequestView.builder("GET", "/me").identity("a|").build(), route);
    assertThat(alice).isEqualTo("GET:/me|u:alice");
    assertThat(anonymous).isEqualTo("GET:/me|a");
    assertThat(List.of(alice, bob, anonymous, pipe)).doesNotHaveDuplicates();
    assertThat(pipe).isEqualTo("GET:/me|u:a%7C");
  }

  @Test
  void identitiesThatLookEscapedStayDistinct() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).varyByPrincipal(true).build();
    String literal = key(HttpRequestView.builder("GET", "/me").identity("a%7C").build(), route);
    String pipe = key(HttpRequestView.builder("GET", "/me").identity("a|").build(), route);
    assertThat(literal).isNotEqualTo(pipe).isEqualTo("GET:/me|u:a%257C");
  }

  @Test
  void keyTemplatesUseEscapedPathVariablesThenVaryParts() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1))
        .keyTemplate("item:{itemId}:{lang}").varyByPrincipal(true).build();
    HttpRequestView r = HttpRequestView.builder("GET", "/items/7").rawQuery("lang=en")
        .pathVariables(Map.of("itemId", "7|u:x")).identity("u1").build();
    assertThat(key(r, route)).isEqualTo("item:7%7Cu%3Ax:en|u:u1");
  }

  @Test
  void pathVariablesWinOverQueryParameters() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).keyTemplate("i:{id}").build();
    HttpRequestView r = HttpRequestView.builder("GET", "/items/7").rawQuery("id=9")
        .pathVariables(Map.of("id", "7")).build();
    assertThat(key(r, route)).isEqualTo("i:7");
  }

  @Test
  void aMissingTemplateVariableIsAClearError() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).keyTemplate("i:{id}").build();
    HttpRequestView r = HttpRequestView.builder("GET", "/items/7").rawQuery("x=1").build();
    RequestKeys.Parsed p = keys.parse(r);
    assertThatThrownBy(() -> keys.key(p, r, route, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'id'").hasMessageContaining("[x]");
  }

  @Test
  void unsafePathsAndQueriesAreNotKeyed() {
    assertThat(keys.parse(HttpRequestView.builder("GET", "/../etc").build())).isNull();
    assertThat(keys.parse(HttpRequestView.builder("GET", "/x").rawQuery("a=%G1").build())).isNull();
  }

  @Test
  void tagsAreRenderedThenPathTags() {
    RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(1)).tags("space:{spaceId}").build();
    HttpRequestView r = HttpRequestView.builder("GET", "/spaces/12/items").rawQuery("page=2")
        .pathVariables(Map.of("spaceId", "12")).build();
    assertThat(keys.tags(keys.parse(r), route)).containsExactly(
        "space:12", "p:/spaces/12/items", "t:/spaces", "t:/spaces/12", "t:/spaces/12/items");
  }
}
