package dev.cachet.http.internal;

import dev.cachet.http.HttpRequestView;
import dev.cachet.http.Invalidator;
import dev.cachet.http.RoutePolicy;
import dev.cachet.http.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Cache keys and tags of requests.
 *
 * <p>A key reads {@code GET:<path>[?<query>]} (or the route's rendered key template), then one
 * {@code |h:<name>=<value>} per vary-by header in name order ({@code |h:<name>} when the request
 * lacks it), then {@code |u:<identity>} (or {@code |a} for an anonymous caller) when the route
 * varies by principal, then {@code |o:<origin>} with the request's {@code Host} and any
 * {@code Forwarded} / {@code X-Forwarded-*} headers. For example
 * {@code GET:/spaces/1/items?a=1&b=2|h:accept=application/json|u:42|o:host=api.example.com}.
 * The origin part is what stops cache poisoning through those headers: an application that builds
 * links from them without declaring {@code Vary} gets one entry per origin, so a forged
 * {@code X-Forwarded-Host} only ever reaches the entry of requests that carry the same forgery.
 *
 * <p>The key is injective: the canonical path and query hold no raw {@code |} or {@code ?} (see
 * {@link PathNormalizer}, {@link QueryNormalizer}), header values and identities are escaped by
 * {@link PercentEncoding#escapeKeyValue} and so hold no raw {@code |}, and key templates may not
 * contain {@code |}: two requests get one key only when they are equivalent. Long keys are
 * hashed by the core's key mapper, not here. {@code HEAD} uses the {@code GET} key.
 * Thread-safe.
 */
public final class RequestKeys {
  /** Headers that may change what an application generates (links, redirects) without a Vary. */
  private static final List<String> ORIGIN_HEADERS =
      List.of("host", "forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
          "x-forwarded-prefix", "x-forwarded-ssl", "x-forwarded-for-host", "x-original-host");

  private final QueryNormalizer queries;

  public RequestKeys(QueryNormalizer queries) {
    this.queries = queries;
  }
  /**
   * What a write's declared templates render from: its path variables, over its query's
   * well-formed parameters (one malformed pair does not void the others), over the fields of a
   * form body ({@link HttpRequestView#formFields}).
   */
  public Map<String, String> writeVariables(HttpRequestView request) {
    Map<String, String> vars = new HashMap<>(request.formFields());
    vars.putAll(queries.lenientFirstValues(request.rawQuery()));
    vars.putAll(request.pathVariables());
    return vars;
  }


  /**
   * A request in canonical form. Thread-safe: its template variables are worked out on first
   * use (most routes have no template), and a race only works them out twice.
   */
  public static final class Parsed {
    private final PathNormalizer.CanonicalPath path;
    private final QueryNormalizer.CanonicalQuery query;
    private final Map<String, String> pathVariables;
    private @Nullable Map<String, String> variables;

    Parsed(PathNormalizer.CanonicalPath path, QueryNormalizer.CanonicalQuery query,
        Map<String, String> pathVariables) {
      this.path = path;
      this.query = query;
      this.pathVariables = pathVariables;
    }

    public PathNormalizer.CanonicalPath path() {
      return path;
    }

    public QueryNormalizer.CanonicalQuery query() {
      return query;
    }

    /** Template variables: query parameters' first values, overridden by path variables. */
    public Map<String, String> variables() {
      Map<String, String> vars = variables;
      if (vars == null) {
        Map<String, String> all = new HashMap<>(query.firstValues());
        all.putAll(pathVariables);
        vars = Map.copyOf(all); // immutable, so a racing reader sees it whole
        variables = vars;
      }
      return vars;
    }
  }

  /**
   * The canonical form of {@code request}, or {@code null} when it must not be cached: its path
   * is not fit for a key ({@link PathNormalizer#forKey}) or its query cannot be normalized.
   */
  public @Nullable Parsed parse(HttpRequestView request) {
    PathNormalizer.CanonicalPath path = PathNormalizer.forKey(request.rawPath());
    QueryNormalizer.CanonicalQuery query = queries.normalize(request.rawQuery());
    if (path == null || query == null) {
      return null;
    }
    return new Parsed(path, query, request.pathVariables());
  }

  /**
   * Why {@link #parse} refused {@code request}, as a {@code Cache-Status} detail: {@link
   * PathNormalizer#irregularity} for a path that has a canonical form a framework may not match it
   * by, else {@code unsafe-uri} (a path or query that cannot be normalized safely).
   */
  public static String refusal(HttpRequestView request) {
    String raw = request.rawPath();
    String why = PathNormalizer.normalize(raw) != null ? PathNormalizer.irregularity(raw) : null;
    return why != null ? why : "unsafe-uri";
  }

  /** The pairs of the canonical query {@code canonical} whose name is not one of {@code names}. */
  private static String withoutNamed(String canonical, List<String> names) {
    if (canonical.isEmpty() || names.isEmpty()) {
      return canonical;
    }
    java.util.StringJoiner rest = new java.util.StringJoiner("&");
    for (String pair : canonical.split("&")) {
      int eq = pair.indexOf('=');
      if (!names.contains(eq < 0 ? pair : pair.substring(0, eq))) {
        rest.add(pair);
      }
    }
    return rest.toString();
  }

  /**
   * The key of a read.
   *
   * @throws IllegalArgumentException when the key template needs a variable the request lacks
   */
  public String key(Parsed request, HttpRequestView view, RoutePolicy route, @Nullable String identity) {
    return key(request, view, route, route.varyByHeaders(), identity);
  }

  /**
   * The key of a read on a route whose keys vary by {@code varyNames} (lower case, sorted; the
   * route's own vary-by headers and any it learned from responses).
   *
   * @throws IllegalArgumentException when the key template needs a variable the request lacks
   */
  public String key(Parsed request, HttpRequestView view, RoutePolicy route, List<String> varyNames,
      @Nullable String identity) {
    StringBuilder key = new StringBuilder(96);
    Template template = route.keyTemplate();
    if (template != null) {
      key.append(template.render(request.variables()));
      // The query parameters it does not name still reach the handler, and may shape the
      // response: they stay in the key (declared keys reach every such variant by the key tag).
      String rest = withoutNamed(request.query().canonical(), template.variables());
      if (!rest.isEmpty()) {
        key.append("|q:").append(rest);
      }
    } else {
      key.append("GET:").append(request.path().path());
      if (!request.query().canonical().isEmpty()) {
        key.append('?').append(request.query().canonical());
      }
    }
    for (String name : varyNames) {
      key.append("|h:").append(name);
      List<String> values = view.headers(name);
      if (!values.isEmpty()) {
        StringBuilder joined = new StringBuilder();
        for (String v : values) {
          joined.append(joined.length() > 0 ? "," : "").append(trimOws(v));
        }
        key.append('=').append(PercentEncoding.escapeKeyValue(joined.toString()));
      }
    }
    if (route.varyByPrincipal()) {
      key.append(identity == null ? "|a" : "|u:" + PercentEncoding.escapeKeyValue(identity));
    }
    key.append(originPart(view));
    return key.toString();
  }

  /**
   * Trims HTTP's optional whitespace (space and tab, RFC 9110) and nothing else: other control
   * characters are part of the value, so values that differ in them get different keys.
   */
  static String trimOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
  }

  /**
   * The {@code |o:...} part of a request's keys: its host and forwarding headers, lower-cased,
   * escaped, then its {@link HttpRequestView#effectiveOrigin effective origin} ({@code e=}); empty
   * when it has none of them. Both: a handler may read the headers themselves, or the origin a
   * filter made of them before hiding them.
   */
  public static String originPart(HttpRequestView view) {
    StringBuilder origin = null;
    for (String name : ORIGIN_HEADERS) {
      List<String> values = view.headers(name);
      if (values.isEmpty()) {
        continue;
      }
      origin = origin == null ? new StringBuilder("|o:") : origin.append(';');
      origin.append(name).append('=');
      StringBuilder joined = new StringBuilder();
      for (String v : values) {
        joined.append(joined.length() > 0 ? "," : "").append(trimOws(v).toLowerCase(java.util.Locale.ROOT));
      }
      if (name.equals("forwarded")) {
        // Its for= and by= name the client and the proxy: only host= and proto= shape the answer.
        // Marked apart, so that no value kept whole reads as the shaping part of another.
        String shaping = ForwardedOrigin.of(joined.toString());
        joined = shaping != null ? new StringBuilder("~").append(shaping) : joined.insert(0, '!');
      }
      origin.append(escapeOriginValue(joined.toString()));
    }
    String effective = view.effectiveOrigin();
    if (effective != null) {
      origin = origin == null ? new StringBuilder("|o:") : origin.append(';');
      origin.append("e=").append(escapeOriginValue(effective.toLowerCase(java.util.Locale.ROOT)));
    }
    return origin == null ? "" : origin.toString();
  }

  /** ';' and '=' separate the origin's parts: escaped inside values, so parts cannot be forged. */
  private static String escapeOriginValue(String value) {
    return PercentEncoding.escapeKeyValue(value).replace(";", "%3B").replace("=", "%3D");
  }

  /**
   * The tags of a stored read: the route's rendered tags, the {@linkplain Invalidator#keyTag key
   * tag} of its rendered key template if it has one, then the path tags.
   *
   * @throws IllegalArgumentException when a tag template needs a variable the request lacks
   */
  public List<String> tags(Parsed request, RoutePolicy route) {
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    for (Template t : route.tags()) {
      tags.add(t.render(request.variables()));
    }
    Template keyTemplate = route.keyTemplate();
    if (keyTemplate != null) {
      // Its full key adds the origin, vary and caller parts: this tag reaches them all at once.
      tags.add(Invalidator.keyTag(keyTemplate.render(request.variables())));
    }
    tags.addAll(PathTags.forRead(request.path()));
    return new ArrayList<>(tags);
  }
}
