package dev.cachet.fuzz;

/** A second string near a first: what finds collisions that two independent strings never hit. */
public final class Variants {
  private Variants() {}

  /** {@code s} with one small edit, or an unrelated string now and then. */
  public static String near(String s, FuzzInput in) {
    StringBuilder sb = new StringBuilder(s);
    int at = s.isEmpty() ? 0 : in.intIn(0, s.length() - 1);
    switch (in.intIn(0, 6)) {
      case 0 -> {
        return in.string(60);
      }
      case 1 -> {
        if (!s.isEmpty()) {
          sb.deleteCharAt(at);
        }
      }
      case 2 -> {
        StringBuilder one = new StringBuilder();
        in.appendChar(one);
        sb.insert(at, one);
      }
      case 3 -> {
        if (!s.isEmpty()) {
          StringBuilder one = new StringBuilder();
          in.appendChar(one);
          sb.replace(at, at + 1, one.toString());
        }
      }
      case 4 -> {
        // Another lone surrogate, or the other half: lossy encoders merge these.
        char c = (char) (in.bool() ? in.intIn(0xD800, 0xDBFF) : in.intIn(0xDC00, 0xDFFF));
        if (!s.isEmpty()) {
          sb.setCharAt(at, c);
        } else {
          sb.append(c);
        }
      }
      case 5 -> sb.append(s.isEmpty() ? "x" : s.substring(at));
      default -> {
        if (!s.isEmpty()) {
          char c = sb.charAt(at);
          sb.setCharAt(at,
              Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
      }
    }
    return sb.toString();
  }
}
