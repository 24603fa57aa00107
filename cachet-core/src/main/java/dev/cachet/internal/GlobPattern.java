package dev.cachet.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob pattern with Redis {@code MATCH} semantics: {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a]}, {@code [a-z]} and backslash escapes. Compiled once to a regular expression.
 *
 * <p>Immutable and thread-safe.
 */
public final class GlobPattern {
  private final String glob;
  private final Pattern regex;

  private GlobPattern(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /**
   * Compiles {@code glob}.
   *
   * @throws IllegalArgumentException when a character class is not closed
   */
  public static GlobPattern compile(String glob) {
    Objects.requireNonNull(glob, "glob");
    StringBuilder re = new StringBuilder(glob.length() + 8);
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 < glob.length()) {
            i++;
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> i = appendClass(glob, i, re);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return new GlobPattern(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  private static int appendClass(String glob, int start, StringBuilder re) {
    int end = glob.indexOf(']', start + 1);
    if (end < 0) {
      throw new IllegalArgumentException("unclosed '[' in pattern: " + glob);
    }
    re.append('[');
    int i = start + 1;
    if (i < end && glob.charAt(i) == '^') {
      re.append('^');
      i++;
    }
    for (; i < end; i++) {
      char c = glob.charAt(i);
      if (c == '-' && i > start + 1 && i + 1 < end) {
        re.append('-');
      } else {
        // Everything else is literal inside the class.
        re.append(String.format("\\x{%x}", (int) c));
      }
    }
    re.append(']');
    return end;
  }

  /** Escapes every glob metacharacter of {@code literal} so that it matches only itself. */
  public static String escape(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 4);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Whether the whole of {@code text} matches. */
  public boolean matches(CharSequence text) {
    return regex.matcher(text).matches();
  }

  /**
   * Whether some string that starts with {@code prefix} could match: used where only a prefix
   * of a key is known, so that a pattern errs towards including it.
   */
  public boolean couldMatchExtensionOf(CharSequence prefix) {
    var m = regex.matcher(prefix);
    return m.matches() || m.hitEnd();
  }

  @Override
  public String toString() {
    return glob;
  }
}
