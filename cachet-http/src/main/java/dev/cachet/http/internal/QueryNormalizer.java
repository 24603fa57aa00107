package dev.cachet.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Puts a raw query in canonical form: parameters sorted by name (a stable sort, so that repeated
 * parameters keep their values' order), ignored names left out, and each name and value decoded
 * to bytes ({@code +} and {@code %20} are both a space) and re-encoded down to unreserved
 * characters. {@code a=1&b=2} and {@code b=2&a=1} are one query; so are {@code q=a+b} and
 * {@code q=a%20b}; {@code x} and {@code x=} are one parameter with an empty value. A malformed
 * escape rejects the whole query. Thread-safe once built.
 */
public final class QueryNormalizer {
  private final List<Predicate<String>> ignored;

  /** @param ignoredGlobs parameter-name globs: {@code *} any run, {@code ?} one character */
  public QueryNormalizer(List<String> ignoredGlobs) {
    List<Predicate<String>> matchers = new ArrayList<>();
    for (String glob : ignoredGlobs) {
      matchers.add(matcher(glob));
    }
    this.ignored = List.copyOf(matchers);
  }

  /**
   * A test of whole parameter names against {@code glob}. The usual globs (a name, or a prefix
   * and one final {@code *}, such as {@code utm_*}) are compared as strings, which costs a
   * fraction of a regular expression on every parameter of every request.
   */
  static Predicate<String> matcher(String glob) {
    int star = glob.indexOf('*');
    if (glob.indexOf('?') < 0 && (star < 0 || star == glob.length() - 1)) {
      String literal = star < 0 ? glob : glob.substring(0, star);
      return star < 0 ? literal::equals : name -> name.startsWith(literal);
    }
    Pattern pattern = compile(glob);
    return name -> pattern.matcher(name).matches();
  }

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /**
   * A canonical query.
   *
   * @param canonical the sorted, re-encoded query without {@code ?}; empty when no parameter is left
   * @param firstValues each kept parameter's first value, decoded as UTF-8, for templates
   *     (parameters that are not valid UTF-8 are left out)
   */
  public record CanonicalQuery(String canonical, Map<String, String> firstValues) {}

  private record Param(String name, String value, String decodedName, @Nullable String decodedValue) {}

  /** The canonical form of {@code raw}, or {@code null} when it holds a malformed escape. */
  public @Nullable CanonicalQuery normalize(@Nullable String raw) {
    return normalize(raw, true);
  }

  /** As {@link #normalize(String)} without the shortcut for plain pairs (to test the shortcut). */
  @Nullable CanonicalQuery normalizeWithoutShortcut(@Nullable String raw) {
    return normalize(raw, false);
  }

  private @Nullable CanonicalQuery normalize(@Nullable String raw, boolean shortcut) {
    if (raw == null || raw.isEmpty()) {
      return new CanonicalQuery("", Map.of());
    }
    List<Param> params = new ArrayList<>();
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      Param plain = shortcut ? plainParam(pair, eq) : null;
      if (plain != null) {
        if (!isIgnored(plain.decodedName())) {
          params.add(plain);
        }
        continue;
      }
      byte[] name = PercentEncoding.decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
      byte[] value = PercentEncoding.decodeQueryComponent(eq < 0 ? "" : pair.substring(eq + 1));
      if (name == null || value == null) {
        return null;
      }
      // Lossy decoding is fine for matching names; template values must decode exactly, or two
      // different values could render alike.
      String decodedName = new String(name, StandardCharsets.UTF_8);
      if (isIgnored(decodedName)) {
        continue;
      }
      boolean exactName = PercentEncoding.strictUtf8(name) != null;
      params.add(new Param(
          PercentEncoding.encodeStrict(name), PercentEncoding.encodeStrict(value), decodedName,
          exactName ? PercentEncoding.strictUtf8(value) : null));
    }
    params.sort(Comparator.comparing(Param::name)); // List.sort is stable
    StringBuilder sb = new StringBuilder(raw.length());
    Map<String, String> first = new LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Param p : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p.name()).append('=').append(p.value());
      if (seen.add(p.decodedName()) && p.decodedValue() != null) {
        first.put(p.decodedName(), p.decodedValue());
      }
    }
    return new CanonicalQuery(sb.toString(), first);
  }

  /**
   * A pair whose name and value are unreserved characters only (as most are): decoding and
   * re-encoding it changes nothing, so it is taken as it is; {@code null} for any other pair.
   */
  private static @Nullable Param plainParam(String pair, int eq) {
    for (int i = 0; i < pair.length(); i++) {
      if (i != eq && !PercentEncoding.isUnreserved(pair.charAt(i))) {
        return null;
      }
    }
    String name = eq < 0 ? pair : pair.substring(0, eq);
    String value = eq < 0 ? "" : pair.substring(eq + 1);
    return new Param(name, value, name, value);
  }

  /**
   * {@code raw} without the pairs whose (decoded) name is ignored, the others as they were sent
   * and in their order; {@code null} when it has none (nothing to take out). The key leaves
   * those parameters out, so the handler that answers for every request of the key must not see
   * them either: a response shaped by one would be served to requests without it.
   */
  public @Nullable String withoutIgnored(@Nullable String raw) {
    if (raw == null || raw.isEmpty() || ignored.isEmpty()) {
      return null;
    }
    java.util.StringJoiner kept = new java.util.StringJoiner("&");
    boolean removed = false;
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      byte[] name = PercentEncoding.decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
      if (name != null && !pair.isEmpty() && isIgnored(new String(name, StandardCharsets.UTF_8))) {
        removed = true;
      } else if (!pair.isEmpty()) {
        kept.add(pair);
      }
    }
    return removed ? kept.toString() : null;
  }

  /**
   * The first decoded value of each well-formed parameter of {@code raw}, skipping the pairs
   * that do not decode (where {@link #normalize} refuses the whole query): what a write's
   * templates may still render from, so that one stray malformed parameter does not keep a
   * write from naming what it changed.
   */
  public Map<String, String> lenientFirstValues(@Nullable String raw) {
    Map<String, String> first = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return first;
    }
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      byte[] name = PercentEncoding.decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
      byte[] value = PercentEncoding.decodeQueryComponent(eq < 0 ? "" : pair.substring(eq + 1));
      String exactName = name == null ? null : PercentEncoding.strictUtf8(name);
      String exactValue = value == null ? null : PercentEncoding.strictUtf8(value);
      if (!pair.isEmpty() && exactName != null && exactValue != null && !isIgnored(exactName)) {
        first.putIfAbsent(exactName, exactValue);
      }
    }
    return first;
  }

  /** Whether parameters named {@code name} (decoded) are left out of keys. */
  public boolean isIgnored(String name) {
    for (Predicate<String> p : ignored) {
      if (p.test(name)) {
        return true;
      }
    }
    return false;
  }
}
