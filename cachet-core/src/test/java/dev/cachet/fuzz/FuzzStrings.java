package dev.cachet.fuzz;

/** Strings in fuzz failures and generators. */
public final class FuzzStrings {
  private FuzzStrings() {}

  /** {@code s} with each lone surrogate replaced by {@code x}: text as real code produces it. */
  public static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? 'x' : c);
      }
    }
    return sb.toString();
  }

  /** {@code s} as a Java literal, non-ASCII as escapes, so that failures show every unit. */
  public static String escapeJava(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf(c)
          : String.format("\\u%04x", (int) c));
    }
    return sb.append('"').toString();
  }
}
