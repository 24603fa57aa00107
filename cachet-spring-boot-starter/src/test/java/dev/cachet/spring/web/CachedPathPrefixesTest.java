package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.MappingMatch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletMapping;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

class CachedPathPrefixesTest {
  private static RequestMappingInfo get(String pattern) {
    RequestMappingInfo.BuilderConfiguration config = new RequestMappingInfo.BuilderConfiguration();
    config.setPatternParser(new PathPatternParser());
    return RequestMappingInfo.paths(pattern).methods(RequestMethod.GET).options(config).build();
  }

  private static RequestMappingHandlerMapping mapping(boolean caseSensitive) {
    RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
    PathPatternParser parser = new PathPatternParser();
    parser.setCaseSensitive(caseSensitive);
    mapping.setPatternParser(parser);
    return mapping;
  }

  private static MockHttpServletRequest request(String context, String uri, MappingMatch match) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
    request.setContextPath(context);
    request.setHttpServletMapping(new MockHttpServletMapping("", "/", "dispatcherServlet", match));
    return request;
  }

  private final CachedPathPrefixes prefixes = CachedPathPrefixes.of(
      List.of(mapping(true)), List.of(get("/cachet"), get("/spaces/{id}/items"), get("/files/**")));

  @Test
  void theLiteralPrefixEndsAtTheFirstVariableOrWildcard() {
    assertThat(CachedPathPrefixes.literalPrefix("/spaces/{id}/items")).isEqualTo("/spaces/");
    assertThat(CachedPathPrefixes.literalPrefix("/files/**")).isEqualTo("/files/");
    assertThat(CachedPathPrefixes.literalPrefix("/a?c")).isEqualTo("/a");
    assertThat(CachedPathPrefixes.literalPrefix("/exact")).isEqualTo("/exact");
  }

  @Test
  void aPathNoCachedPatternCanMatchSkipsTheLookup() {
    assertThat(prefixes.mayMatch(request("", "/raw", MappingMatch.DEFAULT))).isFalse();
    assertThat(prefixes.mayMatch(request("/app", "/app/raw", MappingMatch.DEFAULT))).isFalse();
    assertThat(prefixes.mayMatch(request("", "/Cachet", MappingMatch.DEFAULT))).isFalse();
  }

  @Test
  void anythingAPatternMightMatchIsLookedUp() {
    assertThat(prefixes.mayMatch(request("", "/cachet", MappingMatch.DEFAULT))).isTrue();
    assertThat(prefixes.mayMatch(request("", "/cachet-small", MappingMatch.DEFAULT))).isTrue();
    assertThat(prefixes.mayMatch(request("", "/spaces/7/items", MappingMatch.DEFAULT))).isTrue();
    assertThat(prefixes.mayMatch(request("/app", "/app/files/a/b", MappingMatch.DEFAULT))).isTrue();
  }

  @Test
  void whenInDoubtItLooksUp() {
    // Encoded and matrix paths may still match once Spring decodes them.
    assertThat(prefixes.mayMatch(request("", "/cach%65t", MappingMatch.DEFAULT))).isTrue();
    assertThat(prefixes.mayMatch(request("", "/raw;x=1", MappingMatch.DEFAULT))).isTrue();
    // A dispatcher mapped under a servlet path matches other paths than the request URI's.
    assertThat(prefixes.mayMatch(request("", "/api/raw", MappingMatch.PATH))).isTrue();
    // Case-insensitive matching: no shortcut at all.
    assertThat(CachedPathPrefixes.of(List.of(mapping(false)), List.of(get("/cachet")))).isNull();
  }
}
