package dev.cachet.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable multi-map of HTTP header fields: names compared without regard to case, each name's
 * values in the order they were added, names in the order they first appeared (spelled as they
 * were first added).
 *
 * <p>Names must be HTTP tokens and values must not contain CR, LF or NUL, so that a header can
 * never be used to split a response ({@link IllegalArgumentException} otherwise). Thread-safe.
 */
public final class HttpHeaders {
  private static final HttpHeaders EMPTY = new HttpHeaders(new LinkedHashMap<>());

  /** A name as first spelled and its values; {@code view} is the read-only face of {@code values}. */
  private record Field(String name, ArrayList<String> values, List<String> view) {
    Field(String name, ArrayList<String> values) {
      this(name, values, Collections.unmodifiableList(values));
    }

    Field copy() {
      return new Field(name, new ArrayList<>(values));
    }
  }

  /** Lower-case forms of the names seen so far: header names repeat, lower-casing allocates. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> LOWER =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_LOWER = 1024;

  private final Map<String, Field> fields; // keyed by lower-case name

  private HttpHeaders(Map<String, Field> fields) {
    this.fields = fields;
  }

  /** No headers. */
  public static HttpHeaders empty() {
    return EMPTY;
  }

  /** A builder with no headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** Headers from alternating names and values: {@code of("Content-Type", "text/plain")}. */
  public static HttpHeaders of(String... namesAndValues) {
    Objects.requireNonNull(namesAndValues, "namesAndValues");
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name, value pairs");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    // Already validated: shared until the builder first changes something.
    return new Builder(fields);
  }

  /** Every value of {@code name}, in order; empty when absent. */
  public List<String> all(String name) {
    Field f = fields.get(lower(Objects.requireNonNull(name, "name")));
    return f == null ? List.of() : f.view();
  }

  /** The first value of {@code name}, or {@code null} when absent. */
  public @Nullable String first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** Whether {@code name} has at least one value. */
  public boolean contains(String name) {
    return fields.containsKey(lower(Objects.requireNonNull(name, "name")));
  }

  /** The names, spelled as first added, in order of first appearance. */
  public Set<String> names() {
    Set<String> names = new java.util.LinkedHashSet<>();
    fields.values().forEach(f -> names.add(f.name()));
    return Collections.unmodifiableSet(names);
  }

  /** Calls {@code action} once per name with all its values. */
  public void forEach(BiConsumer<String, List<String>> action) {
    Objects.requireNonNull(action, "action");
    fields.values().forEach(f -> action.accept(f.name(), f.view()));
  }

  /** The number of distinct names. */
  public int size() {
    return fields.size();
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof HttpHeaders other) || other.fields.size() != fields.size()) {
      return false;
    }
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      Field theirs = other.fields.get(e.getKey());
      if (theirs == null || !theirs.values().equals(e.getValue().values())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      h += e.getKey().hashCode() ^ e.getValue().values().hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    forEach((n, v) -> sb.append(sb.length() > 1 ? ", " : "").append(n).append('=').append(v));
    return sb.append('}').toString();
  }

  static String lower(String name) {
    String lower = LOWER.get(name);
    if (lower == null) {
      lower = name.toLowerCase(Locale.ROOT);
      if (LOWER.size() < MAX_LOWER && isToken(name)) {
        LOWER.put(name, lower);
      }
    }
    return lower;
  }

  /** Whether {@code name} is an HTTP token (RFC 9110 section 5.6.2). */
  public static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!isToken(name)) {
      throw new IllegalArgumentException("not a valid header name: '" + name + "'");
    }
    return name;
  }

  private static String checkValue(String name, String value) {
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("header " + name + " has a CR, LF or NUL in its value");
      }
    }
    return value;
  }

  /**
   * Builds {@link HttpHeaders}. Not thread-safe; {@link #build} may be called more than once and
   * later changes do not affect headers already built.
   */
  public static final class Builder {
    private Map<String, Field> fields;
    /** Whether {@link #fields} is shared with built headers: copied before any change. */
    private boolean shared;

    private Builder() {
      this.fields = new LinkedHashMap<>();
    }

    private Builder(Map<String, Field> fields) {
      this.fields = fields;
      this.shared = true;
    }

    private Map<String, Field> own() {
      if (shared) {
        LinkedHashMap<String, Field> copy = new LinkedHashMap<>(Math.max(16, fields.size() * 2));
        fields.forEach((k, f) -> copy.put(k, f.copy()));
        fields = copy;
        shared = false;
      }
      return fields;
    }

    /** Adds a value to {@code name}, after any it has. */
    public Builder add(String name, String value) {
      checkValue(checkName(name), value);
      own().computeIfAbsent(lower(name), k -> new Field(name, new ArrayList<>(2))).values().add(value);
      return this;
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    /** Removes {@code name}. */
    public Builder remove(String name) {
      String key = lower(Objects.requireNonNull(name, "name"));
      if (fields.containsKey(key)) {
        own().remove(key);
      }
      return this;
    }

    /** Whether {@code name} has a value so far. */
    public boolean contains(String name) {
      return fields.containsKey(lower(Objects.requireNonNull(name, "name")));
    }

    public HttpHeaders build() {
      if (fields.isEmpty()) {
        return EMPTY;
      }
      shared = true; // later changes copy first, so these headers never change
      return new HttpHeaders(fields);
    }
  }
}
