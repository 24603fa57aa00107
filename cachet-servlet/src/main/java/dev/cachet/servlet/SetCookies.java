package dev.cachet.servlet;

import jakarta.servlet.http.Cookie;
import java.util.Map;

/**
 * The {@code Set-Cookie} line of a {@link Cookie} (RFC 6265: {@code name=value} and its
 * attributes), for cookies a handler adds to a captured response. Stateless.
 */
final class SetCookies {
  private SetCookies() {}

  /**
   * @throws IllegalArgumentException for a value or attribute a header line cannot carry (as
   *     containers refuse them): control characters, and in the value whitespace, {@code " , ; \}
   *     outside one pair of enclosing quotes
   */
  static String format(Cookie cookie) {
    String value = cookie.getValue() == null ? "" : cookie.getValue();
    checkValue(value);
    StringBuilder b = new StringBuilder(cookie.getName()).append('=').append(value);
    for (Map.Entry<String, String> a : cookie.getAttributes().entrySet()) {
      if (a.getKey().equalsIgnoreCase("Max-Age")) {
        // A negative age means "until the browser closes": no attribute. Written as stored, as
        // Tomcat's Cookie stores it ("-1"), it would tell browsers to delete the cookie at once.
        if (cookie.getMaxAge() >= 0) {
          b.append("; Max-Age=").append(cookie.getMaxAge());
        }
        continue;
      }
      checkAttribute(a.getKey());
      checkAttribute(a.getValue());
      b.append("; ").append(a.getKey());
      if (!a.getValue().isEmpty()) {
        b.append('=').append(a.getValue());
      }
    }
    return b.toString();
  }

  private static void checkValue(String value) {
    int from = 0;
    int to = value.length();
    if (to >= 2 && value.charAt(0) == '"' && value.charAt(to - 1) == '"') {
      from = 1;
      to--;
    }
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
        throw new IllegalArgumentException("invalid character " + (int) c + " in cookie value");
      }
    }
  }

  private static void checkAttribute(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == ';') {
        throw new IllegalArgumentException("invalid character " + (int) c + " in cookie attribute");
      }
    }
  }
}
