package dev.cachet.http;

import dev.cachet.http.internal.PathNormalizer;
import dev.cachet.http.internal.PercentEncoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A path pattern such as {@code /spaces/{spaceId}/items/{itemId}}, for adapters that must map
 * requests to policies themselves (a plain Servlet filter) and supply
 * {@link HttpRequestView#pathVariables()}.
 *
 * <p>Segments are literal text or a whole-segment {@code {name}} placeholder; a final
 * {@code /**} matches any rest of the path, including nothing. Paths are matched in the canonical
 * form the cache keys use (escapes normalized, dot segments resolved, runs of {@code /} as one, a
 * trailing {@code /} ignored), so a request cannot dodge its route with an odd spelling; a path
 * that cannot be normalized safely matches nothing. Variables are the decoded segment text; a
 * segment that is not valid UTF-8 matches nothing. Immutable and thread-safe.
 */
public final class RoutePattern {
  private static final String PLACEHOLDER = "\u0000";

  private final String pattern;
  private final List<String> segments; // canonical literal, or PLACEHOLDER
  private final List<String> names; // one per placeholder, in order
  private final boolean rest;

  private RoutePattern(String pattern, List<String> segments, List<String> names, boolean rest) {
    this.pattern = pattern;
    this.segments = segments;
    this.names = names;
    this.rest = rest;
  }

  /**
   * Parses {@code pattern}.
   *
   * @throws IllegalArgumentException when it does not start with {@code /}, has a placeholder
   *     that is not a whole segment or is named twice, has {@code **} other than at the end, or a
   *     literal part that is not a safe path
   */
  public static RoutePattern of(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route pattern starts with '/': '" + pattern + "'");
    }
    String body = pattern;
    boolean rest = false;
    if (body.equals("/**") || body.endsWith("/**")) {
      rest = true;
      body = body.substring(0, body.length() - 3);
    }
    List<String> segments = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String raw : body.split("/", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      if (raw.startsWith("{") && raw.endsWith("}")) {
        Template t = Template.of(raw); // checks the name
        if (t.variables().size() != 1 || !t.literalText().isEmpty()) {
          throw new IllegalArgumentException("bad placeholder '" + raw + "' in '" + pattern + "'");
        }
        names.add(t.variables().get(0));
        segments.add(PLACEHOLDER);
        continue;
      }
      if (raw.contains("{") || raw.contains("}") || raw.contains("*")) {
        throw new IllegalArgumentException(
            "placeholders must be whole segments and '**' must end the pattern: '" + pattern + "'");
      }
      PathNormalizer.CanonicalPath canonical = PathNormalizer.normalize("/" + raw);
      if (canonical == null || canonical.segments().size() != 1) {
        throw new IllegalArgumentException("not a safe path segment: '" + raw + "' in '" + pattern + "'");
      }
      segments.add(canonical.segments().get(0));
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("a placeholder is named twice in '" + pattern + "'");
    }
    return new RoutePattern(pattern, List.copyOf(segments), List.copyOf(names), rest);
  }

  public String pattern() {
    return pattern;
  }

  /** The placeholder names, in order. */
  public List<String> variables() {
    return names;
  }

  /** The variables of {@code rawPath} (as sent, still encoded), or {@code null} when it does not match. */
  public @Nullable Map<String, String> match(String rawPath) {
    PathNormalizer.CanonicalPath path = PathNormalizer.normalize(Objects.requireNonNull(rawPath, "rawPath"));
    if (path == null) {
      return null;
    }
    List<String> actual = path.segments();
    if (actual.size() < segments.size() || (!rest && actual.size() != segments.size())) {
      return null;
    }
    Map<String, String> vars = new HashMap<>();
    int name = 0;
    for (int i = 0; i < segments.size(); i++) {
      String expected = segments.get(i);
      if (expected.equals(PLACEHOLDER)) {
        String value = PercentEncoding.decodePathSegment(actual.get(i));
        if (value == null) {
          return null;
        }
        vars.put(names.get(name++), value);
      } else if (!expected.equals(actual.get(i))) {
        return null;
      }
    }
    return Map.copyOf(vars);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RoutePattern p && p.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
