package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ETagsTest {

  @Test
  void strongTagIsTheBase64urlSha256OfTheBodyInQuotes() {
    // SHA-256 of the empty string, base64url without padding: the same in every process.
    assertThat(ETags.strong(new byte[0])).isEqualTo("\"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\"");
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(ETags.strong(body)).isEqualTo(ETags.strong(body.clone()))
        .isNotEqualTo(ETags.strong("hellp".getBytes(StandardCharsets.UTF_8)))
        .startsWith("\"").endsWith("\"").doesNotStartWith("W/");
  }

  @Test
  void ifNoneMatchUsesWeakComparison() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("W/\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), "W/\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"b\""), "\"a\"")).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"A\""), "\"a\"")).isFalse();
  }

  @Test
  void listsAndSeveralLinesAndStar() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"x\", W/\"y\" ,\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"x\"", "\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("*"), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("*"), null)).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), null)).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of(), "\"a\"")).isFalse();
  }

  @Test
  void commasInsideTagsDoNotSplitThem() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a,b\""), "\"a,b\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a,b\""), "\"a\"")).isFalse();
  }

  @Test
  void malformedMembersAreIgnored() {
    assertThat(ETags.ifNoneMatchMatches(List.of("a, \"b"), "\"a\"")).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of("junk, \"a\""), "\"a\"")).isTrue();
  }
}
