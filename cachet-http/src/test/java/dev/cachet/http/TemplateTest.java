package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.internal.GlobPattern;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void rendersPlaceholders() {
    Template t = Template.of("space:{spaceId}:items:{item_id}");
    assertThat(t.variables()).containsExactly("spaceId", "item_id");
    assertThat(t.render(Map.of("spaceId", "12", "item_id", "a-b.c~d_"))).isEqualTo("space:12:items:a-b.c~d_");
    assertThat(Template.of("plain").render(Map.of())).isEqualTo("plain");
    assertThat(Template.of("{a}{a}").variables()).containsExactly("a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a{", "a}", "{}", "a{b", "{a{b}}", "{1a}", "{a b}", "{a:b}", "x{a}}"})
  void malformedTemplatesFailAtConstruction(String source) {
    assertThatThrownBy(() -> Template.of(source))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(source.isEmpty() ? "empty" : "'" + source + "'");
  }

  @Test
  void aMissingVariableFailsNamingItAndTheAvailableOnes() {
    assertThatThrownBy(() -> Template.of("user:{userId}").render(Map.of("id", "1", "page", "2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("template 'user:{userId}' needs the variable 'userId', which this request does not"
            + " have; available: [id, page]");
  }

  @Test
  void valuesCannotInjectSeparatorsIntoKeys() {
    String rendered = Template.of("item:{id}").render(Map.of("id", "1:x|u:alice/../?a=b&c"));
    assertThat(rendered).isEqualTo("item:1%3Ax%7Cu%3Aalice%2F..%2F%3Fa%3Db%26c");
  }

  @Test
  void valuesCannotInjectGlobMetacharactersIntoPatterns() {
    String pattern = Template.of("GET:/spaces/{id}/*").render(Map.of("id", "*"));
    assertThat(pattern).isEqualTo("GET:/spaces/%2A/*");
    GlobPattern glob = GlobPattern.compile(pattern);
    assertThat(glob.matches("GET:/spaces/%2A/items")).isTrue();
    assertThat(glob.matches("GET:/spaces/42/items")).isFalse();
    assertThat(Template.of("k:{v}").render(Map.of("v", "[a-z]?\\"))).isEqualTo("k:%5Ba-z%5D%3F%5C");
  }

  @Test
  void distinctValuesRenderDistinctly() {
    Template t = Template.of("k:{v}");
    assertThat(t.render(Map.of("v", "%41"))).isNotEqualTo(t.render(Map.of("v", "A")));
    assertThat(t.render(Map.of("v", "\u00e9"))).isEqualTo("k:%C3%A9");
  }

  @Test
  void equalityIsBySource() {
    assertThat(Template.of("a:{b}")).isEqualTo(Template.of("a:{b}")).hasSameHashCodeAs(Template.of("a:{b}"));
    assertThat(Template.of("a:{b}").toString()).isEqualTo("a:{b}");
    assertThat(Template.of("a:{b}:c").literalText()).isEqualTo("a::c");
  }
}
