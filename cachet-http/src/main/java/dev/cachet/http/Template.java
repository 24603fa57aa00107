package dev.cachet.http;

import dev.cachet.http.internal.PercentEncoding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A key, tag or pattern with {@code {placeholders}}, e.g. {@code space:{spaceId}:items}.
 *
 * <p>A placeholder is a name of letters, digits, {@code _ . -} (starting with a letter or
 * {@code _}) between braces; braces are not allowed anywhere else, so a malformed template fails
 * at {@link #of} with {@link IllegalArgumentException}.
 *
 * <p>When rendered, each placeholder is replaced by its value percent-encoded down to RFC 3986
 * unreserved characters ({@code A-Z a-z 0-9 - . _ ~}): a value therefore cannot add a glob
 * metacharacter to a pattern nor a separator ({@code : | / ? & =}) to a key or tag, and two
 * distinct values always render differently. The literal text around placeholders is used as it
 * is (in a pattern it is glob syntax). Immutable and thread-safe.
 */
public final class Template {
  private final String source;
  private final List<String> parts; // even index: literal text; odd index: variable name
  private final List<String> variables;

  private Template(String source, List<String> parts) {
    this.source = source;
    this.parts = parts;
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      names.add(parts.get(i));
    }
    this.variables = List.copyOf(names);
  }

  /**
   * Parses {@code source}.
   *
   * @throws IllegalArgumentException when it is empty, a brace is unbalanced or nested, or a
   *     placeholder name is empty or has other characters
   */
  public static Template of(String source) {
    Objects.requireNonNull(source, "source");
    if (source.isEmpty()) {
      throw new IllegalArgumentException("a template must not be empty");
    }
    List<String> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '}') {
        throw malformed(source, i, "'}' without '{'");
      }
      if (c != '{') {
        literal.append(c);
        i++;
        continue;
      }
      int end = source.indexOf('}', i + 1);
      if (end < 0) {
        throw malformed(source, i, "'{' is not closed");
      }
      String name = source.substring(i + 1, end);
      if (name.indexOf('{') >= 0) {
        throw malformed(source, i, "placeholders cannot be nested");
      }
      checkName(source, i, name);
      parts.add(literal.toString());
      parts.add(name);
      literal.setLength(0);
      i = end + 1;
    }
    parts.add(literal.toString());
    return new Template(source, List.copyOf(parts));
  }

  private static void checkName(String source, int at, String name) {
    if (name.isEmpty()) {
      throw malformed(source, at, "empty placeholder '{}'");
    }
    char first = name.charAt(0);
    if (!(Character.isLetter(first) && first < 0x80) && first != '_') {
      throw malformed(source, at, "placeholder '" + name + "' must start with a letter or '_'");
    }
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '-';
      if (!ok) {
        throw malformed(source, at, "placeholder '" + name + "' may hold only letters, digits, '_', '.', '-'");
      }
    }
  }

  private static IllegalArgumentException malformed(String source, int at, String why) {
    return new IllegalArgumentException(
        "malformed template '" + source + "' at index " + at + ": " + why);
  }

  /** The template as written. */
  public String source() {
    return source;
  }

  /** The placeholder names, each once, in order of first appearance. */
  public List<String> variables() {
    return variables;
  }

  /** The literal text of the template, placeholders left out: for checks on what it may contain. */
  public String literalText() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.size(); i += 2) {
      sb.append(parts.get(i));
    }
    return sb.toString();
  }

  /**
   * Renders the template with {@code values}, each escaped as the class describes.
   *
   * @throws IllegalArgumentException naming the missing variable and those that were available,
   *     when a placeholder has no value
   */
  public String render(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    StringBuilder out = new StringBuilder(source.length() + 16);
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
        continue;
      }
      String name = parts.get(i);
      @Nullable String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "template '" + source + "' needs the variable '" + name
                + "', which this request does not have; available: "
                + Collections.unmodifiableSet(new TreeSet<>(values.keySet())));
      }
      out.append(PercentEncoding.encodeStrict(value));
    }
    return out.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Template t && t.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
