package dev.cachet.http.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The part of a {@code Forwarded} header (RFC 7239) that can change what an application
 * generates: each element's {@code host} and {@code proto}. Its {@code for} and {@code by}
 * parameters name the client and the proxy, which differ per client: keyed in full they would
 * give every client behind a proxy its own entries. Thread-safe (stateless).
 */
final class ForwardedOrigin {
  private ForwardedOrigin() {}

  /**
   * The elements of {@code value}, in order and comma-separated, each as {@code host=...;proto=...}
   * with the parameters it has (names and values lower case, quoted strings unquoted); {@code null}
   * when {@code value} does not parse, so that the caller keys it whole.
   */
  static @Nullable String of(String value) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = value.length();
    String host = null;
    String proto = null;
    while (true) {
      i = skipOws(value, i);
      if (i < n && value.charAt(i) != ',' && value.charAt(i) != ';') {
        int nameStart = i;
        while (i < n && isTokenChar(value.charAt(i))) {
          i++;
        }
        if (i == nameStart || i >= n || value.charAt(i) != '=') {
          return null;
        }
        String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
        i++;
        StringBuilder v = new StringBuilder();
        if (i < n && value.charAt(i) == '"') {
          i++;
          while (i < n && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            v.append(value.charAt(i++));
          }
          if (i >= n) {
            return null; // unterminated quoted string
          }
          i++;
        } else {
          int valueStart = i;
          while (i < n && isBareValueChar(value.charAt(i))) {
            i++;
          }
          if (i == valueStart) {
            return null;
          }
          v.append(value, valueStart, i);
        }
        String lower = v.toString().toLowerCase(Locale.ROOT);
        if (name.equals("host")) {
          if (host != null) {
            return null; // a parameter twice in one element is not RFC 7239
          }
          host = lower;
        } else if (name.equals("proto")) {
          if (proto != null) {
            return null;
          }
          proto = lower;
        }
        i = skipOws(value, i);
      }
      if (i >= n || value.charAt(i) == ',') {
        appendElement(out, host, proto);
        host = null;
        proto = null;
        if (i >= n) {
          return out.toString();
        }
        out.append(',');
        i++;
      } else if (value.charAt(i) == ';') {
        i++;
      } else {
        return null;
      }
    }
  }

  private static void appendElement(StringBuilder out, @Nullable String host, @Nullable String proto) {
    if (host != null) {
      out.append("host=").append(escape(host));
    }
    if (proto != null) {
      out.append(host != null ? ";" : "").append("proto=").append(escape(proto));
    }
  }

  /** The separators of the rebuilt form, escaped inside values so that no value can forge them. */
  private static String escape(String v) {
    return v.replace("%", "%25").replace(";", "%3B").replace(",", "%2C").replace("=", "%3D");
  }

  private static int skipOws(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * A character of an unquoted value. RFC 7239 wants a token there, but proxies send
   * {@code host=example.com:8080} and bare IPv6 addresses: anything up to a separator is taken.
   */
  private static boolean isBareValueChar(char c) {
    return c != ';' && c != ',' && c != '"' && c != ' ' && c != '\t';
  }

  /** RFC 9110 tchar. */
  private static boolean isTokenChar(char c) {
    return c < 0x7F && c > 0x20 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }
}
