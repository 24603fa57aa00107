package dev.cachet.servlet;

import dev.cachet.http.HttpHeaders;
import dev.cachet.http.PassThrough;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The headers a handler set on a {@link CapturingResponse} (names case-insensitive) and the
 * character encoding they imply. Used by one thread at a time.
 */
final class CapturedHeaders {
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private String characterEncoding = StandardCharsets.ISO_8859_1.name();
  private boolean encodingSet;

  /** Replaces the values of {@code name}; {@code null} removes them. */
  void set(String name, @Nullable String value) {
    if (value == null) {
      headers.remove(name);
    } else {
      List<String> list = new ArrayList<>(1);
      list.add(value);
      headers.put(name, list);
    }
  }

  void add(String name, @Nullable String value) {
    if (value != null) {
      headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
  }

  /**
   * Adds {@code name} (as given) to {@code Vary} unless a {@code Vary} line lists it or {@code *}
   * already: the response was chosen by that request header.
   */
  void addVary(String name) {
    for (String line : all("Vary")) {
      for (String listed : line.split(",")) {
        String t = listed.trim();
        if (t.equals("*") || t.equalsIgnoreCase(name)) {
          return;
        }
      }
    }
    add("Vary", name);
  }

  boolean contains(String name) {
    return headers.containsKey(name);
  }

  @Nullable String first(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  Collection<String> all(String name) {
    return List.copyOf(headers.getOrDefault(name, List.of()));
  }

  Collection<String> names() {
    return List.copyOf(headers.keySet());
  }

  /** Clears the headers and the character encoding. */
  void clear() {
    headers.clear();
    characterEncoding = StandardCharsets.ISO_8859_1.name();
    encodingSet = false;
  }

  /**
   * {@code Content-Type}, with the encoding it names or the one set before; once
   * {@code encodingLocked} (the writer was taken, whose bytes are in the encoding of then), the
   * encoding it names is replaced by that one, as the Servlet specification says.
   */
  void contentType(@Nullable String type, boolean encodingLocked) {
    if (type != null) {
      String named = charsetOf(type);
      if (named != null && !encodingLocked) {
        characterEncoding = named;
        encodingSet = true;
      } else if (encodingSet || named != null) {
        type = withCharset(type, characterEncoding);
      }
    }
    set("Content-Type", type);
  }

  /** The encoding, also written into a {@code Content-Type} already set. */
  void characterEncoding(String charset) {
    characterEncoding = charset;
    encodingSet = true;
    String type = first("Content-Type");
    if (type != null) {
      set("Content-Type", withCharset(type, charset));
    }
  }

  /** The value of {@code type}'s {@code charset} parameter, unquoted; null when it has none. */
  static @Nullable String charsetOf(String type) {
    String[] parts = type.split(";");
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String value = parts[i].substring(eq + 1).trim().replace("\"", "");
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /** {@code type} with its {@code charset} parameter set to {@code charset}, the others kept. */
  static String withCharset(String type, String charset) {
    String[] parts = type.split(";");
    StringBuilder out = new StringBuilder(parts[0].trim());
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      boolean isCharset = eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase("charset");
      if (!isCharset && !parts[i].isBlank()) {
        out.append(';').append(parts[i].trim());
      }
    }
    return out.append(";charset=").append(charset).toString();
  }

  String characterEncoding() {
    return characterEncoding;
  }

  /** Adds every value to {@code real}. */
  void copyTo(HttpServletResponse real) {
    headers.forEach((name, values) -> values.forEach(v -> real.addHeader(name, v)));
  }

  /**
   * Adds a pass-through's {@code cacheHeaders} to what {@code real} already holds, merging a
   * {@code Cache-Control} into the handler's own as {@link PassThrough#open} asks.
   */
  static void addCacheHeaders(HttpHeaders cacheHeaders, HttpServletResponse real) {
    for (String name : cacheHeaders.names()) {
      if (name.equalsIgnoreCase("Cache-Control") && real.containsHeader(name)) {
        String merged = PassThrough.privateCacheControl(List.copyOf(real.getHeaders(name)));
        if (merged != null) {
          real.setHeader(name, merged);
        }
        continue;
      }
      for (String value : cacheHeaders.all(name)) {
        real.addHeader(name, value);
      }
    }
  }

  HttpHeaders toHttpHeaders() {
    HttpHeaders.Builder h = HttpHeaders.builder();
    headers.forEach((name, values) -> values.forEach(v -> h.add(name, v)));
    return h.build();
  }
}
