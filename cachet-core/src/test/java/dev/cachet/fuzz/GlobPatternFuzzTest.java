package dev.cachet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.internal.GlobPattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GlobPattern}: compiling any text throws at most {@link IllegalArgumentException};
 * a text made by filling in a glob's wildcards matches it (and each of its prefixes could
 * extend to a match); an escaped literal matches itself and nothing else; and no match takes
 * long (a backtracking matcher is a denial of service through {@code deleteByPattern}).
 */
class GlobPatternFuzzTest {
  private static final String GLOB_ALPHABET = "ab*?[]^-\\:~!\u00e9\u4e2d\ud83d\ude00";
  private static final long SLOW_MATCH_NANOS = 500_000_000L;

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @FuzzTest
  void globsCompileMatchAndEscape(FuzzedDataProvider data) {
    check(FuzzInput.of(data), Integer.MAX_VALUE);
  }

  @Test
  void globsCompileMatchAndEscapeOnRandomInputs() {
    // At most three stars here: more against long keys is the slow case GlobPatternRegressionTest
    // pins down, and it would make this run as slow as the bug.
    FuzzRuns.repeat("glob", 5_000, in -> check(in, 3));
  }

  static void check(FuzzInput in, int maxStars) {
    String glob = in.bool() ? in.stringFrom(GLOB_ALPHABET, 24) : in.string(24);
    if (glob.chars().filter(c -> c == '*').count() > maxStars) {
      glob = glob.replace('*', '?');
    }
    GlobPattern pattern;
    try {
      pattern = GlobPattern.compile(glob);
    } catch (IllegalArgumentException expected) {
      pattern = null;
    }
    String shownGlob = FuzzStrings.escapeJava(glob);
    if (pattern != null) {
      boolean random = in.bool();
      String text = random ? in.string(120) : instance(glob, in);
      boolean matched = timedMatch(pattern, text, shownGlob);
      if (!random && text != null) {
        assertThat(matched).as("glob %s matches its instance %s", shownGlob,
            FuzzStrings.escapeJava(text)).isTrue();
        int cut = in.intIn(0, text.length());
        assertThat(pattern.couldMatchExtensionOf(text.substring(0, cut)))
            .as("prefix of an instance of %s", shownGlob).isTrue();
      }
    }
    String literal = in.string(40);
    String other = Variants.near(literal, in);
    GlobPattern escaped = GlobPattern.compile(GlobPattern.escape(literal));
    String shown = FuzzStrings.escapeJava(literal);
    assertThat(escaped.matches(literal)).as("escape(%s) matches it", shown).isTrue();
    assertThat(escaped.couldMatchExtensionOf(literal.substring(0, in.intIn(0, literal.length()))))
        .as("escape(%s) could match an extension of its prefix", shown).isTrue();
    if (!other.equals(literal)) {
      assertThat(escaped.matches(other)).as("escape(%s) matches %s", shown,
          FuzzStrings.escapeJava(other)).isFalse();
    }
  }

  private static boolean timedMatch(GlobPattern pattern, String text, String shownGlob) {
    if (text == null) {
      return false;
    }
    long start = System.nanoTime();
    boolean matched = pattern.matches(text);
    long took = System.nanoTime() - start;
    assertThat(took).as("nanoseconds to match %s against %d characters", shownGlob, text.length())
        .isLessThan(SLOW_MATCH_NANOS);
    return matched;
  }

  /**
   * A text the glob must match: wildcards filled in, escapes resolved; {@code null} for globs
   * with a trailing backslash or a class (their meaning is checked elsewhere).
   */
  static String instance(String glob, FuzzInput in) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> sb.append(in.string(6));
        case '?' -> sb.append((char) in.intIn(0x20, 0xD7FF));
        case '\\' -> {
          if (i + 1 < glob.length()) {
            sb.append(glob.charAt(++i));
          } else {
            sb.append('\\');
          }
        }
        case '[' -> {
          return null;
        }
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
