package dev.cachet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A glob pattern with Redis {@code MATCH} semantics: {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a]}, {@code [a-z]} and backslash escapes, over Unicode code points.
 *
 * <p>Matching takes time proportional to the pattern's length times the text's, whatever the
 * number of {@code *}: it backtracks only to the last star (no regular expression, no
 * exponential blow-up on hostile patterns). Immutable and thread-safe.
 */
public final class GlobPattern {
  private static final int STAR = -1;
  private static final int ANY = -2;
  private static final int CLASS = -3;

  /** One token: a literal code point, or STAR / ANY / CLASS (with {@link #classes}). */
  private final int[] tokens;
  private final CharClass[] classes;
  private final int[] classAt; // per token: the index of its class, or -1
  private final String glob;

  private record CharClass(boolean negated, int[] ranges) {
    boolean contains(int cp) {
      boolean in = false;
      for (int i = 0; i < ranges.length && !in; i += 2) {
        in = cp >= ranges[i] && cp <= ranges[i + 1];
      }
      return in != negated;
    }
  }

  private GlobPattern(String glob, int[] tokens, CharClass[] classes) {
    this.glob = glob;
    this.tokens = tokens;
    this.classes = classes;
    this.classAt = new int[tokens.length];
    for (int i = 0, n = 0; i < tokens.length; i++) {
      classAt[i] = tokens[i] == CLASS ? n++ : -1;
    }
  }

  /**
   * Compiles {@code glob}.
   *
   * @throws IllegalArgumentException when a character class is not closed
   */
  public static GlobPattern compile(String glob) {
    Objects.requireNonNull(glob, "glob");
    int[] cps = glob.codePoints().toArray();
    List<Integer> tokens = new ArrayList<>();
    List<CharClass> classes = new ArrayList<>();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '*') {
        if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != STAR) {
          tokens.add(STAR); // runs of stars match like one
        }
      } else if (c == '?') {
        tokens.add(ANY);
      } else if (c == '\\') {
        tokens.add(i + 1 < cps.length ? cps[++i] : '\\');
      } else if (c == '[') {
        i = parseClass(glob, cps, i, classes);
        tokens.add(CLASS);
      } else {
        tokens.add(c);
      }
    }
    return new GlobPattern(glob, tokens.stream().mapToInt(Integer::intValue).toArray(),
        classes.toArray(CharClass[]::new));
  }

  private static int parseClass(String glob, int[] cps, int start, List<CharClass> out) {
    int i = start + 1;
    boolean negated = i < cps.length && cps[i] == '^';
    if (negated) {
      i++;
    }
    List<Integer> ranges = new ArrayList<>();
    while (i < cps.length && cps[i] != ']') {
      int lo = cps[i];
      if (lo == '\\' && i + 1 < cps.length) {
        lo = cps[++i];
      }
      int hi = lo;
      if (i + 2 < cps.length && cps[i + 1] == '-' && cps[i + 2] != ']') {
        hi = cps[i + 2];
        i += 2;
      }
      ranges.add(Math.min(lo, hi));
      ranges.add(Math.max(lo, hi));
      i++;
    }
    if (i >= cps.length) {
      throw new IllegalArgumentException("unclosed '[' in pattern: " + glob);
    }
    out.add(new CharClass(negated, ranges.stream().mapToInt(Integer::intValue).toArray()));
    return i;
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

  /** The text every match starts with: the pattern up to its first wildcard or class, unescaped. */
  public String literalPrefix() {
    StringBuilder out = new StringBuilder();
    for (int token : tokens) {
      if (token < 0) {
        break;
      }
      out.appendCodePoint(token);
    }
    return out.toString();
  }

  /** Whether the whole of {@code text} matches. */
  public boolean matches(CharSequence text) {
    return match(text.toString().codePoints().toArray(), false);
  }

  /**
   * Whether some string that starts with {@code prefix} could match: used where only a prefix
   * of a key is known, so that a pattern errs towards including it.
   */
  public boolean couldMatchExtensionOf(CharSequence prefix) {
    String p = prefix.toString();
    if (!p.isEmpty() && Character.isHighSurrogate(p.charAt(p.length() - 1))) {
      p = p.substring(0, p.length() - 1); // a cut pair: the extension may complete it
    }
    return match(p.codePoints().toArray(), true);
  }

  private boolean single(int token, int classIndex, int cp) {
    if (token == ANY) {
      return true;
    }
    if (token == CLASS) {
      return classes[classIndex].contains(cp);
    }
    return token == cp;
  }

  /**
   * Wildcard matching that remembers only the last star: on a mismatch it lets that star swallow
   * one more code point. Classes are numbered in order of appearance.
   */
  private boolean match(int[] text, boolean prefixOnly) {
    int t = 0;
    int p = 0;
    int starP = -1;
    int starT = 0;
    while (t < text.length) {
      if (p < tokens.length && tokens[p] != STAR && single(tokens[p], classAt[p], text[t])) {
        t++;
        p++;
      } else if (p < tokens.length && tokens[p] == STAR) {
        starP = p++;
        starT = t;
      } else if (starP >= 0) {
        p = starP + 1;
        t = ++starT;
      } else {
        return false;
      }
    }
    if (prefixOnly) {
      return true; // the text is used up; an extension can satisfy the rest of the pattern
    }
    while (p < tokens.length && tokens[p] == STAR) {
      p++;
    }
    return p == tokens.length;
  }

  @Override
  public String toString() {
    return glob;
  }
}
