package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  private static String norm(String raw) {
    PathNormalizer.CanonicalPath p = PathNormalizer.normalize(raw);
    return p == null ? null : p.path();
  }

  @ParameterizedTest
  @CsvSource({
      "/spaces/1/items, /spaces/1/items",
      "'', /",
      "/, /",
      "/%41%62c, /Abc",
      "/a%7eb, /a~b",
      "/a%2fb, /a%2Fb",
      "/a%2Fb, /a%2Fb",
      "/a%3bb, /a%3Bb",
      "/a;b, /a;b",
      "/a b, /a%20b",
      "/a%20b, /a%20b",
      "/a|b, /a%7Cb",
      "/caf\u00e9, /caf%C3%A9",
      "/caf%c3%a9, /caf%C3%A9",
      "/a//b, /a/b",
      "//a///b, /a/b",
      "/a/b/, /a/b/",
      "/a/./b, /a/b",
      "/a/b/.., /a/",
      "/a/b/../c, /a/c",
      "/a/., /a/",
      "/a?b, /a%3Fb",
  })
  void normalizes(String raw, String expected) {
    assertThat(norm(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/a/../..", "/%2e%2e/x", "/a/%2E", "/a/.%2e/b", "relative", "/a%", "/a%4", "/a%zz"})
  void rejects(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }

  @Test
  void anEncodedSlashIsNotASeparator() {
    assertThat(norm("/a%2Fb")).isNotEqualTo(norm("/a/b"));
    assertThat(PathNormalizer.normalize("/a%2Fb").segments()).containsExactly("a%2Fb");
  }

  @Test
  void segmentsLeaveOutTheTrailingSlash() {
    assertThat(PathNormalizer.normalize("/spaces/123/").segments()).isEqualTo(List.of("spaces", "123"));
    assertThat(PathNormalizer.normalize("/").segments()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "/a/b/c, /a/b/c",
      "/a/b/%zz/c, /a/b",
      "/a/%2e%2e/c, /a",
      "/a/../.., /a",
      "/a//b, /a",
      "/a/./b, /a",
      "/%41/b/, /A/b",
      "/%zz, /",
      "/../a, /",
      "relative, /",
      "'', /",
  })
  void theRegularPrefixStopsAtTheFirstSegmentThatIsNotPlain(String raw, String expected) {
    assertThat(PathNormalizer.regularPrefix(raw).path()).isEqualTo(expected);
    assertThat(PathNormalizer.regularPrefix(raw))
        .isEqualTo(PathNormalizer.normalize(expected)).as("a prefix is in canonical form");
  }

  @Test
  void normalizationIsIdempotent() {
    for (String raw : List.of("/a%2fb/./c//d/", "/x%41/%c3%a9 |", "/a/b/../c")) {
      String once = norm(raw);
      assertThat(norm(once)).isEqualTo(once);
    }
  }

  /** The shortcut for paths that are already canonical agrees with the general rewrite. */
  @net.jqwik.api.Property(tries = 3000)
  void theShortcutAgreesWithTheFullRewrite(
      @net.jqwik.api.ForAll("paths") String raw) {
    PathNormalizer.CanonicalPath fast = PathNormalizer.normalize(raw);
    PathNormalizer.CanonicalPath slow = PathNormalizer.rewrite(raw);
    org.assertj.core.api.Assertions.assertThat(fast).isEqualTo(slow);
  }

  /**
   * A path fit for a key is its canonical form segment for segment: a framework that matches the
   * raw segments sees the same resource as the key names.
   */
  @net.jqwik.api.Property(tries = 3000)
  void aKeyedPathKeepsItsRawSegmentsOneForOne(@net.jqwik.api.ForAll("paths") String raw) {
    PathNormalizer.CanonicalPath keyed = PathNormalizer.forKey(raw);
    if (keyed == null) {
      return;
    }
    assertThat(keyed).isEqualTo(PathNormalizer.normalize(raw));
    List<String> rawSegments = new java.util.ArrayList<>(List.of(raw.substring(1).split("/", -1)));
    rawSegments.remove(rawSegments.size() - 1); // the last: empty for a trailing slash, else kept below
    String last = raw.substring(raw.lastIndexOf('/') + 1);
    if (!last.isEmpty()) {
      rawSegments.add(last);
    }
    assertThat(keyed.segments()).hasSameSizeAs(rawSegments);
    for (int i = 0; i < rawSegments.size(); i++) {
      assertThat(PathNormalizer.normalize("/" + rawSegments.get(i)).segments())
          .containsExactly(keyed.segments().get(i));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "/a/./b, dot-segment", "/a/.., dot-segment", "/%2E/b, dot-segment", "/a/.%2e, dot-segment",
      "/a//b, empty-segment", "//a, empty-segment", "/a;x=1/b, path-params", "/a/b;, path-params",
      "/a/b%3B, ", "/a/b/, ", "/, ", "/a.b/..c/.d., "})
  void irregularities(String raw, String expected) {
    assertThat(PathNormalizer.irregularity(raw)).isEqualTo(expected);
    assertThat(PathNormalizer.forKey(raw) == null).isEqualTo(expected != null);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> paths() {
    return net.jqwik.api.Arbitraries.strings().withChars("/a.%2F4e~;| b").ofMaxLength(12)
        .map(s -> s.isEmpty() || s.charAt(0) != '/' ? "/" + s : s);
  }
}
