package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GlobPatternTest {
  @Test
  void matchesLikeRedis() {
    assertThat(GlobPattern.compile("user:*").matches("user:1")).isTrue();
    assertThat(GlobPattern.compile("user:*").matches("users:1")).isFalse();
    assertThat(GlobPattern.compile("h?llo").matches("hallo")).isTrue();
    assertThat(GlobPattern.compile("h[ae]llo").matches("hello")).isTrue();
    assertThat(GlobPattern.compile("h[^e]llo").matches("hello")).isFalse();
    assertThat(GlobPattern.compile("h[a-c]llo").matches("hbllo")).isTrue();
    assertThat(GlobPattern.compile("a\\*b").matches("a*b")).isTrue();
    assertThat(GlobPattern.compile("a\\*b").matches("axb")).isFalse();
    assertThat(GlobPattern.compile("(x|y)+.").matches("(x|y)+.")).isTrue();
  }

  @Test
  void unclosedClassesAreRejected() {
    assertThatThrownBy(() -> GlobPattern.compile("a[b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefixMatchingErrsTowardsIncluding() {
    GlobPattern glob = GlobPattern.compile("user:*:end");
    assertThat(glob.couldMatchExtensionOf("user:abc")).isTrue();
    assertThat(glob.couldMatchExtensionOf("item:abc")).isFalse();
  }

  @Property
  void escapedLiteralsMatchOnlyThemselves(@ForAll String literal, @ForAll String other) {
    GlobPattern glob = GlobPattern.compile(GlobPattern.escape(literal));
    assertThat(glob.matches(literal)).isTrue();
    if (!other.equals(literal)) {
      assertThat(glob.matches(other)).isFalse();
    }
  }
}
