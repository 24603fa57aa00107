package dev.cachet.http.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request means for caching, computed from its raw parts independently of the code under
 * test, from the rules its Javadoc states (RFC 3986 path normalization, form-encoded queries,
 * header field values without surrounding whitespace): two requests mean the same exactly when
 * these values are equal. {@code null} where the request must not be cached.
 */
final class RequestMeaning {
  private static final String SUB_DELIMS = "!$&'()*+,;=:@";

  private RequestMeaning() {}

  /** Path segments as tokens (a byte 0-255, or 256 + a raw sub-delimiter), then trailing '/'. */
  static List<List<Integer>> path(String raw) {
    if (raw.isEmpty()) {
      raw = "/";
    }
    if (raw.charAt(0) != '/') {
      return null;
    }
    String[] rawSegments = raw.substring(1).split("/", -1);
    List<List<Integer>> out = new ArrayList<>();
    boolean trailingSlash = false;
    for (int i = 0; i < rawSegments.length; i++) {
      boolean last = i == rawSegments.length - 1;
      List<Integer> tokens = segmentTokens(rawSegments[i]);
      if (tokens == null || tokens.contains(256 + ';')) {
        return null; // a raw ';' starts parameters, which frameworks leave out when matching
      }
      if (tokens.equals(List.of(46)) || tokens.equals(List.of(46, 46))) { // '.' and '..'
        return null; // a framework may match a dot segment as it is, or resolve it
      } else if (tokens.isEmpty()) {
        if (!last) {
          return null; // and an empty segment as it is, or collapse it
        }
        trailingSlash = true;
      } else {
        out.add(tokens);
      }
    }
    List<List<Integer>> meaning = new ArrayList<>(out);
    meaning.add(List.of(trailingSlash || out.isEmpty() ? 1 : 0));
    return meaning;
  }

  private static List<Integer> segmentTokens(String seg) {
    List<Integer> tokens = new ArrayList<>();
    for (int i = 0; i < seg.length(); ) {
      char c = seg.charAt(i);
      if (c == '%') {
        int v = hexPair(seg, i);
        if (v < 0) {
          return null;
        }
        tokens.add(v);
        i += 3;
      } else if (SUB_DELIMS.indexOf(c) >= 0) {
        tokens.add(256 + c);
        i++;
      } else {
        int cp = seg.codePointAt(i);
        for (byte b : utf8(cp)) {
          tokens.add(b & 0xFF);
        }
        i += Character.charCount(cp);
      }
    }
    return tokens;
  }

  /**
   * Query parameters that are not ignored: name bytes (hex) to value bytes (hex) in order, or
   * {@code null} for a malformed escape. {@code ignored} are globs on the name read as UTF-8.
   */
  static Map<String, List<String>> query(String raw, List<String> ignored) {
    Map<String, List<String>> params = new TreeMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      byte[] name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
      byte[] value = formDecode(eq < 0 ? "" : pair.substring(eq + 1));
      if (name == null || value == null) {
        return null;
      }
      String text = new String(name, java.nio.charset.StandardCharsets.UTF_8);
      if (ignored.stream().anyMatch(glob -> globMatches(glob, text))) {
        continue;
      }
      params.computeIfAbsent(HexFormat.of().formatHex(name), k -> new ArrayList<>())
          .add(HexFormat.of().formatHex(value));
    }
    return params;
  }

  /** A header's field value: its lines joined by commas, each without surrounding SP and HTAB. */
  static String header(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<String> trimmed = new ArrayList<>();
    for (String v : values) {
      trimmed.add(stripOws(v));
    }
    return String.join(",", trimmed);
  }

  /**
   * The request's origin as its Host and forwarding headers give it: each header's value, lower
   * case, by header name ({@code null} for an absent one).
   */
  static List<String> origin(java.util.function.Function<String, List<String>> headers) {
    List<String> origin = new ArrayList<>();
    for (String name : List.of("host", "forwarded", "x-forwarded-host", "x-forwarded-proto",
        "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-for-host", "x-original-host")) {
      String value = header(headers.apply(name));
      String lower = value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
      origin.add(lower != null && name.equals("forwarded") ? forwarded(lower) : lower);
    }
    return origin;
  }

  private static final String OWS = "[ \\t]*";
  private static final String NAME = "[!#$%&'*+.^_`|~0-9a-z-]+";
  private static final String VALUE = "\"(?:[^\"\\\\]|\\\\.)*\"|[^;,\" \\t]+";
  private static final String PAIR = NAME + "=(?:" + VALUE + ")";
  private static final java.util.regex.Pattern NAMED_PAIR =
      java.util.regex.Pattern.compile("(" + NAME + ")=(" + VALUE + ")");
  private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile(
      OWS + "(?:" + PAIR + ")?" + OWS + "(?:;" + OWS + "(?:" + PAIR + ")?" + OWS + ")*");

  /**
   * What a {@code Forwarded} value (lower case) says of the origin: per element, in order, its
   * host and proto (RFC 7239; the client's and proxy's addresses say nothing of it), or the
   * whole value when it is not a list of such elements (or names host or proto twice in one).
   */
  static String forwarded(String value) {
    List<String> elements = new ArrayList<>();
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i <= value.length(); i++) {
      char c = i < value.length() ? value.charAt(i) : ',';
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        elements.add(value.substring(start, Math.min(i, value.length())));
        start = i + 1;
      }
    }
    if (quoted) {
      return "whole:" + value;
    }
    List<Map<String, String>> meaning = new ArrayList<>();
    for (String element : elements) {
      if (!ELEMENT.matcher(element).matches()) {
        return "whole:" + value;
      }
      Map<String, String> kept = new TreeMap<>();
      java.util.regex.Matcher pair = NAMED_PAIR.matcher(element);
      while (pair.find()) {
        String name = pair.group(1);
        String v = pair.group(2);
        if (v.startsWith("\"")) {
          v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        if ((name.equals("host") || name.equals("proto")) && kept.put(name, v) != null) {
          return "whole:" + value;
        }
      }
      meaning.add(kept);
    }
    return "parsed:" + meaning;
  }

  static String stripOws(String v) {
    int start = 0;
    int end = v.length();
    while (start < end && (v.charAt(start) == ' ' || v.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\t')) {
      end--;
    }
    return v.substring(start, end);
  }

  private static byte[] formDecode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%') {
        int v = hexPair(raw, i);
        if (v < 0) {
          return null;
        }
        out.write(v);
        i += 3;
      } else if (c == '+') {
        out.write(' ');
        i++;
      } else {
        int cp = raw.codePointAt(i);
        out.writeBytes(utf8(cp));
        i += Character.charCount(cp);
      }
    }
    return out.toByteArray();
  }

  private static int hexPair(String s, int percent) {
    if (percent + 2 >= s.length()) {
      return -1;
    }
    int hi = Character.digit(s.charAt(percent + 1), 16);
    int lo = Character.digit(s.charAt(percent + 2), 16);
    // Character.digit also accepts non-ASCII digits; an escape takes only ASCII hex.
    boolean ascii = s.charAt(percent + 1) < 0x80 && s.charAt(percent + 2) < 0x80;
    return hi < 0 || lo < 0 || !ascii ? -1 : hi * 16 + lo;
  }

  /** UTF-8 of a code point; a lone surrogate gets its three-byte form, as a client would send. */
  static byte[] utf8(int cp) {
    if (cp < 0x80) {
      return new byte[] {(byte) cp};
    }
    if (cp < 0x800) {
      return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
    }
    if (cp < 0x10000) {
      return new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F),
          (byte) (0x80 | cp & 0x3F)};
    }
    return new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F),
        (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
  }

  /** {@code *} any run, {@code ?} one code point, everything else itself; over the whole text. */
  static boolean globMatches(String glob, String text) {
    int[] g = glob.codePoints().toArray();
    int[] t = text.codePoints().toArray();
    boolean[][] memo = new boolean[g.length + 1][t.length + 1];
    boolean[][] done = new boolean[g.length + 1][t.length + 1];
    return match(g, 0, t, 0, memo, done);
  }

  private static boolean match(
      int[] g, int gi, int[] t, int ti, boolean[][] memo, boolean[][] done) {
    if (done[gi][ti]) {
      return memo[gi][ti];
    }
    boolean result;
    if (gi == g.length) {
      result = ti == t.length;
    } else if (g[gi] == '*') {
      result = match(g, gi + 1, t, ti, memo, done)
          || (ti < t.length && match(g, gi, t, ti + 1, memo, done));
    } else {
      result = ti < t.length && (g[gi] == '?' || g[gi] == t[ti])
          && match(g, gi + 1, t, ti + 1, memo, done);
    }
    done[gi][ti] = true;
    memo[gi][ti] = result;
    return result;
  }
}
