package dev.cachet.http.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Puts a raw request path in the one canonical form that keys and path tags use (RFC 3986
 * section 6.2.2 normalization, plus a few rules for safety).
 *
 * <ul>
 *   <li>Escapes of unreserved characters are decoded ({@code %41} becomes {@code A}); every other
 *       escape keeps its meaning and gets upper-case hex ({@code %2f} becomes {@code %2F}, which
 *       stays distinct from a {@code /} separator; {@code %3B} stays distinct from {@code ;}).
 *   <li>Characters that may not appear raw in a path (space, {@code |}, {@code "}, non-ASCII...)
 *       are escaped as their UTF-8 bytes, the form a client would have sent.
 *   <li>{@code .} and {@code ..} segments are resolved; a {@code ..} above the root is rejected,
 *       and so is a dot segment spelled with escapes ({@code %2e%2e}), which servers disagree
 *       on.
 *   <li>Runs of {@code /} count as one; a trailing {@code /} is kept (it may name another
 *       resource).
 *   <li>A path that does not start with {@code /}, or holds a malformed escape, is rejected.
 * </ul>
 *
 * <p>Keys use {@link #forKey}, which refuses paths a framework may match otherwise than their
 * canonical form (dot and empty segments, {@code ;} parameters): Spring MVC, for one, matches the
 * raw request URI, so {@code /search/..} runs the handler of {@code /search/{term}} while its
 * canonical form {@code /} names another route, and it ignores {@code ;x=1} in
 * {@code /items/1;x=1}, which is item 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class PathNormalizer {
  /** Why {@link #forKey} refuses a path: it has a {@code .} or {@code ..} segment, escaped or not. */
  public static final String DOT_SEGMENT = "dot-segment";
  /** Why {@link #forKey} refuses a path: it has an empty segment other than a trailing slash. */
  public static final String EMPTY_SEGMENT = "empty-segment";
  /**
   * Why {@link #forKey} refuses a path: a segment carries {@code ;} parameters (matrix variables,
   * {@code ;jsessionid=}), which servlet containers and Spring MVC leave out when they match it.
   */
  public static final String PATH_PARAMETERS = "path-params";

  private PathNormalizer() {}

  /** A canonical path: its text and its segments (without the trailing empty one). */
  public record CanonicalPath(String path, List<String> segments) {}

  /** Characters RFC 3986 allows raw in a path segment besides unreserved ones. */
  private static boolean isSegmentSafe(char c) {
    return "!$&'()*+,;=:@".indexOf(c) >= 0;
  }

  /** The canonical form of {@code raw}, or {@code null} when it must not be cached. */
  public static @Nullable CanonicalPath normalize(String raw) {
    if (raw.isEmpty()) {
      raw = "/";
    }
    if (raw.charAt(0) != '/') {
      return null;
    }
    CanonicalPath plain = alreadyCanonical(raw);
    return plain != null ? plain : rewrite(raw);
  }

  /**
   * The canonical form of {@code raw} for a cache key: as {@link #normalize}, but {@code null} also
   * when {@code raw} is not already in the shape of its canonical form, that is when it has a dot
   * segment, an empty segment or {@code ;} parameters ({@link #irregularity}). Such a path is what
   * a framework matching the raw path (Spring MVC) and one resolving it first may address
   * differently, so a key built from its canonical form could store one route's response under
   * another's key; and one resource with parameters would have many keys and path tags, which
   * writes to the resource do not invalidate.
   */
  public static @Nullable CanonicalPath forKey(String raw) {
    if (raw.isEmpty()) {
      return normalize(raw);
    }
    if (raw.charAt(0) != '/' || raw.indexOf(';') >= 0) {
      return null;
    }
    CanonicalPath plain = alreadyCanonical(raw); // the common case: one pass, no irregularity
    if (plain != null) {
      return plain;
    }
    return irregularity(raw) == null ? rewrite(raw) : null;
  }

  /**
   * Why {@code raw}'s segments may be matched otherwise than its canonical form:
   * {@link #DOT_SEGMENT}, {@link #EMPTY_SEGMENT}, {@link #PATH_PARAMETERS} (the first found), or
   * {@code null} when they may not (which says nothing of whether it has a canonical form at all).
   */
  public static @Nullable String irregularity(String raw) {
    int start = raw.startsWith("/") ? 1 : 0;
    while (start <= raw.length()) {
      int end = raw.indexOf('/', start);
      boolean last = end < 0;
      if (last) {
        end = raw.length();
      }
      if (end == start && !last) {
        return EMPTY_SEGMENT;
      }
      if (isDotSegment(raw, start, end)) {
        return DOT_SEGMENT;
      }
      int semicolon = raw.indexOf(';', start);
      if (semicolon >= 0 && semicolon < end) {
        return PATH_PARAMETERS;
      }
      start = end + 1;
    }
    return null;
  }

  /**
   * {@code raw} without the {@code ;} parameters of its segments ({@code /items;v=2/1;x=1} becomes
   * {@code /items/1}): the path servlet containers and Spring MVC match. An escaped {@code %3B}
   * is data and stays.
   */
  public static String withoutParameters(String raw) {
    if (raw.indexOf(';') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    boolean inParameters = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '/') {
        inParameters = false;
      } else if (c == ';') {
        inParameters = true;
      }
      if (!inParameters) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether {@code raw[start, end)} is {@code .} or {@code ..}, any dot possibly spelled {@code %2E}. */
  private static boolean isDotSegment(String raw, int start, int end) {
    int dots = 0;
    for (int i = start; i < end; dots++) {
      if (raw.charAt(i) == '.') {
        i++;
      } else if (raw.startsWith("%2e", i) || raw.startsWith("%2E", i)) {
        i += 3;
      } else {
        return false;
      }
    }
    return dots == 1 || dots == 2;
  }

  /**
   * As {@link #normalize}, except that escaped dot segments ({@code %2e%2e}) are resolved like
   * plain ones, as a server that decodes the path before resolving it would (Tomcat does, to map
   * a request to a servlet). For invalidation, which must cover what any reading addresses.
   */
  public static @Nullable CanonicalPath resolve(String raw) {
    return rewrite(raw, true);
  }

  /** The general case: every rule applied, segment by segment. */
  static @Nullable CanonicalPath rewrite(String raw) {
    return rewrite(raw, false);
  }

  private static @Nullable CanonicalPath rewrite(String raw, boolean resolveEscapedDots) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return raw.isEmpty() ? rewrite("/") : null;
    }
    List<String> out = new ArrayList<>();
    boolean trailingSlash = false;
    int start = 1;
    while (start <= raw.length()) {
      int end = raw.indexOf('/', start);
      boolean last = end < 0;
      if (last) {
        end = raw.length();
      }
      String rawSegment = raw.substring(start, end);
      String segment = normalizeSegment(rawSegment);
      if (segment == null) {
        return null;
      }
      boolean escapedDots = resolveEscapedDots && (segment.equals(".") || segment.equals(".."));
      if (rawSegment.equals(".") || rawSegment.equals("..") || escapedDots) {
        if (segment.equals("..")) {
          if (out.isEmpty()) {
            return null; // above the root
          }
          out.remove(out.size() - 1);
        }
        trailingSlash = last; // "/a/b/.." is "/a/"

      } else if (segment.equals(".") || segment.equals("..")) {
        return null; // an escaped dot segment
      } else if (segment.isEmpty()) {
        trailingSlash = last; // "//" counts as "/"; a final empty segment is a trailing slash
      } else {
        out.add(segment);
        trailingSlash = false;
      }
      start = end + 1;
    }
    StringBuilder path = new StringBuilder(raw.length());
    for (String s : out) {
      path.append('/').append(s);
    }
    if (out.isEmpty() || trailingSlash) {
      path.append('/');
    }
    return new CanonicalPath(path.toString(), List.copyOf(out));
  }

  /**
   * The canonical form of the longest run of {@code raw}'s leading segments that are each plain:
   * the segments before the first empty one (other than a trailing slash), dot segment ({@code .}
   * or {@code ..}, escaped or not) or malformed one; the root when the first segment is such a
   * one, or when {@code raw} does not start with {@code /}. Whatever a framework makes of the rest
   * of {@code raw}, it addresses something at or below this prefix, which is why a write whose
   * path has no canonical form invalidates the prefix's subtree. Never {@code null}.
   */
  public static CanonicalPath regularPrefix(String raw) {
    List<String> out = new ArrayList<>();
    if (!raw.isEmpty() && raw.charAt(0) == '/') {
      int start = 1;
      while (start < raw.length()) {
        int end = raw.indexOf('/', start);
        String segment = normalizeSegment(raw.substring(start, end < 0 ? raw.length() : end));
        if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          break;
        }
        out.add(segment);
        if (end < 0) {
          break;
        }
        start = end + 1;
      }
    }
    StringBuilder path = new StringBuilder();
    for (String s : out) {
      path.append('/').append(s);
    }
    return new CanonicalPath(out.isEmpty() ? "/" : path.toString(), List.copyOf(out));
  }

  /**
   * The common case without rewriting: only unreserved and segment-safe characters, no empty,
   * {@code .} or {@code ..} segment (a trailing {@code /} is fine). {@code null} otherwise.
   */
  private static @Nullable CanonicalPath alreadyCanonical(String raw) {
    int n = raw.length();
    String[] segments = new String[8];
    int count = 0;
    int start = 1;
    for (int i = 1; i <= n; i++) {
      char c = i < n ? raw.charAt(i) : '/';
      if (c == '/') {
        int length = i - start;
        if (length == 0) {
          if (i < n || start == 1 && n > 1) {
            return null; // "//" or an empty segment other than a trailing slash
          }
        } else if ((length == 1 && raw.charAt(start) == '.')
            || (length == 2 && raw.charAt(start) == '.' && raw.charAt(start + 1) == '.')) {
          return null;
        } else {
          if (count == segments.length) {
            segments = java.util.Arrays.copyOf(segments, count * 2);
          }
          segments[count++] = raw.substring(start, i);
        }
        start = i + 1;
      } else if (!(PercentEncoding.isUnreserved(c) || isSegmentSafe(c))) {
        return null;
      }
    }
    return new CanonicalPath(raw, List.of(java.util.Arrays.copyOf(segments, count)));
  }

  private static @Nullable String normalizeSegment(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = PercentEncoding.hexValue(raw.charAt(i + 1));
        int lo = PercentEncoding.hexValue(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        int b = (hi << 4) | lo;
        if (PercentEncoding.isUnreserved(b)) {
          out.append((char) b);
        } else {
          PercentEncoding.appendEscaped(out, b);
        }
        i += 3;
      } else if (PercentEncoding.isUnreserved(c) || isSegmentSafe(c)) {
        out.append(c);
        i++;
      } else {
        int cp = raw.codePointAt(i);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4);
        PercentEncoding.writeUtf8(bytes, cp);
        for (byte b : bytes.toByteArray()) {
          PercentEncoding.appendEscaped(out, b & 0xFF);
        }
        i += Character.charCount(cp);
      }
    }
    return out.toString();
  }
}
