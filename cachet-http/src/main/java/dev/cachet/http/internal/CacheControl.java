package dev.cachet.http.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The directives of {@code Cache-Control} field lines (RFC 9111 section 5.2): comma-separated
 * {@code name[=value]} pairs, names compared without regard to case, values tokens or quoted
 * strings (which may themselves hold commas, as in {@code private="Set-Cookie, X-Foo"}). Parsing
 * is lenient: a malformed member is skipped, never an error. Immutable and thread-safe.
 */
public final class CacheControl {
  private static final CacheControl NONE = new CacheControl(Map.of());

  private final Map<String, String> directives; // lower-case name -> value ("" when none)

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  /**
   * A request's cache directives: its {@code Cache-Control} field values, else, when it has none,
   * its {@code Pragma: no-cache}.
   */
  public static CacheControl ofRequest(List<String> cacheControl, List<String> pragma) {
    CacheControl cc = parse(cacheControl);
    if (cc.isEmpty() && cacheControl.isEmpty()) {
      CacheControl fromPragma = parse(pragma);
      if (fromPragma.has("no-cache")) {
        return fromPragma;
      }
    }
    return cc;
  }

  /** Parses every field line of the header; an empty list gives no directives. */
  public static CacheControl parse(List<String> fieldValues) {
    if (fieldValues.isEmpty()) {
      return NONE;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : fieldValues) {
      parseLine(line, out);
    }
    return new CacheControl(Map.copyOf(out));
  }

  private static void parseLine(String s, Map<String, String> out) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
        i++;
      }
      int nameStart = i;
      while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') {
        i++;
      }
      String name = s.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
      String value = "";
      if (i < n && s.charAt(i) == '=') {
        i++;
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
          i++;
        }
        if (i < n && s.charAt(i) == '"') {
          StringBuilder v = new StringBuilder();
          i++;
          while (i < n && s.charAt(i) != '"') {
            if (s.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            v.append(s.charAt(i));
            i++;
          }
          i++; // the closing quote, if any
          value = v.toString();
          while (i < n && s.charAt(i) != ',') {
            i++; // anything after the quoted string is junk
          }
        } else {
          int valueStart = i;
          while (i < n && s.charAt(i) != ',') {
            i++;
          }
          value = s.substring(valueStart, i).trim();
        }
      }
      if (!name.isEmpty()) {
        out.putIfAbsent(name, value);
      }
    }
  }

  /** Whether the directive {@code name} (lower case) is present, with or without a value. */
  public boolean has(String name) {
    return directives.containsKey(name);
  }

  /** The directive's value ({@code ""} when it has none), or {@code null} when absent. */
  public @Nullable String value(String name) {
    return directives.get(name);
  }

  public boolean isEmpty() {
    return directives.isEmpty();
  }

  @Override
  public String toString() {
    return directives.toString();
  }
}
