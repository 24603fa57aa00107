package dev.cachet.http.fuzz;

import dev.cachet.fuzz.FuzzInput;
import dev.cachet.fuzz.FuzzStrings;
import dev.cachet.http.HttpRequestView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Requests for key fuzzing: a logical request (path segments, parameters, headers, identity),
 * spelled in one of the many raw forms that mean it, and small changes to it that mean something
 * else (or, for ignored parameters and whitespace, the same).
 */
final class FuzzRequests {
  static final List<String> VARY_HEADERS = List.of("accept", "x-tenant");
  static final List<String> ORIGIN_HEADERS = List.of("host", "x-forwarded-host", "forwarded");
  private static final List<String> ORIGIN_VALUES = List.of(
      "api.example.com", "API.Example.com", "evil.example", "a;b=c", "host=x", "", "h\u0130st",
      "for=1.2.3.4;host=x", "For=5.6.7.8; HOST=\"X\"", "host=x;proto=https", "proto=https;for=a;host=x",
      "for=a, host=x", "host=\"x", "host=a;host=b", "for=\"[2001:db8::1]:80\"");
  private static final String PATH_CHARS = "aZ09-._~!$&'()*+,;=:@ \"|?#[]{}%/\u00e9\u4e2d";
  private static final String SUB_DELIMS = "!$&'()*+,;=:@";
  private static final List<String> PARAM_NAMES =
      List.of("a", "b", "A", "id", "q", "utm_source", "fbclid", "\u00e4", "a b", "x=y");
  private static final String VALUE_CHARS = "xyXY09-._~ +&=%#?/\u00e9\u4e2d";
  private static final List<String> HEADER_VALUES =
      List.of("application/json", "text/html", "*/*", "a,b", "", "x y", "t|1", "%41",
          "\u000bx y", "x y\u001f");
  private static final List<String> IDENTITIES = List.of("42", "43", "", "a|b", "u%7C", "\u00e9");

  private FuzzRequests() {}

  /** A raw request as an adapter hands it over. */
  record Raw(String method, String rawPath, @Nullable String rawQuery,
      Map<String, List<String>> headerLines, @Nullable String identity) implements HttpRequestView {
    @Override
    public List<String> headers(String name) {
      return headerLines.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String toString() {
      return method + " " + esc(rawPath) + (rawQuery == null ? "" : " ?" + esc(rawQuery))
          + " headers " + esc(String.valueOf(headerLines))
          + " identity " + esc(String.valueOf(identity));
    }
  }

  /** A path token: a code point or a raw byte to escape, or a raw sub-delimiter. */
  record Tok(int value, boolean subDelim, boolean rawByte) {}

  record Param(List<Tok> name, List<Tok> value) {}

  /** A logical request; mutable, copied before a change. */
  static final class Logical {
    List<List<Tok>> segments = new ArrayList<>();
    boolean trailingSlash;
    List<Param> params = new ArrayList<>();
    Map<String, List<String>> headers = new HashMap<>();
    @Nullable String identity;

    Logical copy() {
      Logical c = new Logical();
      segments.forEach(s -> c.segments.add(new ArrayList<>(s)));
      c.trailingSlash = trailingSlash;
      c.params = new ArrayList<>(params);
      headers.forEach((k, v) -> c.headers.put(k, new ArrayList<>(v)));
      c.identity = identity;
      return c;
    }
  }

  static Logical logical(FuzzInput in) {
    Logical l = new Logical();
    int segments = in.intIn(0, 4);
    for (int i = 0; i < segments; i++) {
      l.segments.add(segment(in));
    }
    l.trailingSlash = in.bool();
    int params = in.intIn(0, 4);
    for (int i = 0; i < params; i++) {
      l.params.add(param(in));
    }
    for (String h : VARY_HEADERS) {
      if (in.bool()) {
        l.headers.put(h, new ArrayList<>(List.of(in.pick(HEADER_VALUES))));
      }
    }
    for (String h : ORIGIN_HEADERS) {
      if (in.intIn(0, 2) == 0) {
        l.headers.put(h, new ArrayList<>(List.of(in.pick(ORIGIN_VALUES))));
      }
    }
    l.identity = in.bool() ? null : in.pick(IDENTITIES);
    return l;
  }

  private static List<Tok> segment(FuzzInput in) {
    List<Tok> toks = new ArrayList<>();
    int n = in.intIn(1, 5);
    for (int i = 0; i < n; i++) {
      toks.add(tok(in));
    }
    boolean dots = toks.stream().allMatch(t -> t.value() == '.' && !t.subDelim() && !t.rawByte());
    if (dots && toks.size() <= 2) {
      toks.add(new Tok('x', false, false)); // "." and ".." are not names
    }
    return toks;
  }

  private static Tok tok(FuzzInput in) {
    return switch (in.intIn(0, 9)) {
      case 0 -> new Tok(SUB_DELIMS.charAt(in.intIn(0, SUB_DELIMS.length() - 1)), true, false);
      case 1 -> new Tok(in.intIn(0x80, 0xFF), false, true);
      case 2 -> new Tok(in.intIn(0xD800, 0xDFFF), false, false); // a lone surrogate
      case 3 -> new Tok(in.intIn(0, 0x7F), false, false);
      default -> {
        int[] cps = PATH_CHARS.codePoints().toArray();
        yield new Tok(cps[in.intIn(0, cps.length - 1)], false, false);
      }
    };
  }

  private static Param param(FuzzInput in) {
    String name = in.pick(PARAM_NAMES);
    List<Tok> value = new ArrayList<>();
    int n = in.length(5);
    for (int i = 0; i < n; i++) {
      value.add(in.intIn(0, 7) == 0 ? new Tok(in.intIn(0x80, 0xFF), false, true)
          : new Tok(VALUE_CHARS.charAt(in.intIn(0, VALUE_CHARS.length() - 1)), false, false));
    }
    return new Param(name.codePoints().mapToObj(cp -> new Tok(cp, false, false)).toList(), value);
  }

  /** {@code l} with one change that usually, not always, changes its meaning. */
  static Logical changed(Logical l, FuzzInput in) {
    Logical c = l.copy();
    switch (in.intIn(0, 8)) {
      case 0 -> {
        if (c.segments.isEmpty()) {
          c.segments.add(segment(in));
        } else {
          List<Tok> seg = c.segments.get(in.intIn(0, c.segments.size() - 1));
          seg.set(in.intIn(0, seg.size() - 1), tok(in));
        }
      }
      case 1 -> c.segments.add(in.intIn(0, c.segments.size()), segment(in));
      case 2 -> c.trailingSlash = !c.trailingSlash;
      case 3 -> c.params.add(in.intIn(0, c.params.size()), param(in));
      case 4 -> {
        if (!c.params.isEmpty()) {
          c.params.remove(in.intIn(0, c.params.size() - 1));
        }
      }
      case 5 -> {
        if (!c.params.isEmpty()) {
          int i = in.intIn(0, c.params.size() - 1);
          c.params.set(i, new Param(c.params.get(i).name(), param(in).value()));
        }
      }
      case 6 ->
          c.headers.put(in.pick(VARY_HEADERS), new ArrayList<>(List.of(in.pick(HEADER_VALUES))));
      case 7 -> {
        if (in.bool()) {
          c.headers.remove(in.pick(VARY_HEADERS));
        } else {
          c.headers.put(in.pick(ORIGIN_HEADERS), new ArrayList<>(List.of(in.pick(ORIGIN_VALUES))));
        }
      }
      default -> c.identity = in.bool() ? null : in.pick(IDENTITIES);
    }
    return c;
  }

  /** One of the raw spellings of {@code l}. */
  static Raw render(Logical l, FuzzInput in) {
    StringBuilder path = new StringBuilder();
    // Dot and empty segments are never keyed: only some spellings have them.
    boolean odd = in.intIn(0, 3) == 0;
    for (List<Tok> seg : l.segments) {
      switch (odd ? in.intIn(0, 5) : 5) {
        case 0 -> path.append("/.");
        case 1 -> path.append("/zz/..");
        case 2 -> path.append('/');
        default -> { }
      }
      path.append('/');
      for (Tok t : seg) {
        renderPathTok(path, t, in);
      }
    }
    if (l.trailingSlash || l.segments.isEmpty()) {
      path.append(odd && in.intIn(0, 3) == 0 && !l.segments.isEmpty() ? "/." : "/");
    }
    String rawPath = path.length() == 1 && in.bool() ? "" : path.toString();

    List<Param> params = new ArrayList<>(l.params);
    Map<String, Integer> order = new HashMap<>();
    for (Param p : params) {
      order.computeIfAbsent(p.name().toString(), k -> in.intIn(0, 1000));
    }
    // A stable sort: parameters of one name keep their order, which is part of their meaning.
    params.sort(Comparator.comparing(p -> order.get(p.name().toString())));
    StringBuilder query = new StringBuilder();
    for (Param p : params) {
      if (query.length() > 0 || in.intIn(0, 5) == 0) {
        query.append(in.intIn(0, 5) == 0 ? "&&" : "&");
      }
      renderQueryPart(query, p.name(), in);
      if (!p.value().isEmpty() || in.bool()) {
        query.append('=');
        renderQueryPart(query, p.value(), in);
      }
    }
    String rawQuery = query.length() == 0 ? (in.bool() ? null : "") : query.toString();

    Map<String, List<String>> headers = new LinkedHashMap<>();
    l.headers.forEach((name, values) -> {
      List<String> lines = new ArrayList<>();
      for (String v : values) {
        if (v.contains(",") && in.bool()) {
          for (String part : v.split(",", -1)) {
            lines.add(ows(in) + part + ows(in));
          }
        } else {
          lines.add(ows(in) + v + ows(in));
        }
      }
      headers.put(name, lines);
    });
    String method = in.pick(List.of("GET", "get", "HEAD"));
    return new Raw(method, rawPath, rawQuery, headers, l.identity);
  }

  private static String ows(FuzzInput in) {
    return switch (in.intIn(0, 5)) {
      case 0 -> " ";
      case 1 -> "\t ";
      default -> "";
    };
  }

  private static void renderPathTok(StringBuilder out, Tok t, FuzzInput in) {
    int v = t.value();
    if (t.subDelim()) {
      out.append((char) v);
    } else if (t.rawByte()) {
      escape(out, v, in);
    } else if (v < 0x80) {
      boolean mustEscape = v == '/' || v == '%' || SUB_DELIMS.indexOf(v) >= 0;
      if (mustEscape || in.bool()) {
        escape(out, v, in);
      } else {
        out.append((char) v);
      }
    } else if (in.bool()) {
      out.appendCodePoint(v);
    } else {
      for (byte b : RequestMeaning.utf8(v)) {
        escape(out, b & 0xFF, in);
      }
    }
  }

  private static void renderQueryPart(StringBuilder out, List<Tok> toks, FuzzInput in) {
    for (Tok t : toks) {
      int v = t.value();
      if (t.rawByte()) {
        escape(out, v, in);
      } else if (v == ' ') {
        out.append(in.bool() ? "+" : "%20");
      } else if (v < 0x80) {
        boolean mustEscape = "&=+%#".indexOf(v) >= 0;
        if (mustEscape || in.bool()) {
          escape(out, v, in);
        } else {
          out.append((char) v);
        }
      } else if (in.bool()) {
        out.appendCodePoint(v);
      } else {
        for (byte b : RequestMeaning.utf8(v)) {
          escape(out, b & 0xFF, in);
        }
      }
    }
  }

  private static void escape(StringBuilder out, int b, FuzzInput in) {
    String hex = String.format("%02X", b);
    out.append('%').append(in.bool() ? hex : hex.toLowerCase(Locale.ROOT));
  }

  /** A request of arbitrary strings: what no client should send, and some will. */
  static Raw arbitrary(FuzzInput in) {
    String path = in.bool() ? "/" + in.string(40) : in.string(40);
    String query = in.bool() ? null : in.string(40);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h : List.of("accept", "x-tenant", "host", "x-forwarded-host")) {
      int lines = in.intIn(0, 2);
      List<String> values = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        values.add(in.string(20));
      }
      if (!values.isEmpty()) {
        headers.put(h, values);
      }
    }
    return new Raw(in.string(8), path, query, headers, in.bool() ? null : in.string(10));
  }

  static String esc(String s) {
    return FuzzStrings.escapeJava(s);
  }
}
