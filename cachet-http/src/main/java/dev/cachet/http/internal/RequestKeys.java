package dev.cachet.http.internal;

import dev.cachet.http.HttpRequestView;
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
 * varies by principal. For example {@code GET:/spaces/1/items?a=1&b=2|h:accept=application/json|u:42}.
 *
 * <p>The key is injective: the canonical path and query hold no raw {@code |} or {@code ?} (see
 * {@link PathNormalizer}, {@link QueryNormalizer}), header values and identities are escaped by
 * {@link PercentEncoding#escapeKeyValue} and so hold no raw {@code |}, and key templates may not
 * contain {@code |}: two requests get one key only when they are equivalent. Long keys are
 * hashed by the core's key mapper, not here. {@code HEAD} uses the {@code GET} key.
 * Thread-safe.
 */
public final class RequestKeys {
  private final QueryNormalizer queries;

  public RequestKeys(QueryNormalizer queries) {
    this.queries = queries;
  }

  /**
   * A request in canonical form.
   *
   * @param variables template variables: query parameters' first values, overridden by path
   *     variables
   */
  public record Parsed(
      PathNormalizer.CanonicalPath path, QueryNormalizer.CanonicalQuery query,
      Map<String, String> variables) {}

  /** The canonical form of {@code request}, or {@code null} when it must not be cached. */
  public @Nullable Parsed parse(HttpRequestView request) {
    PathNormalizer.CanonicalPath path = PathNormalizer.normalize(request.rawPath());
    QueryNormalizer.CanonicalQuery query = queries.normalize(request.rawQuery());
    if (path == null || query == null) {
      return null;
    }
    Map<String, String> vars = new HashMap<>(query.firstValues());
    vars.putAll(request.pathVariables());
    return new Parsed(path, query, Map.copyOf(vars));
  }

  /**
   * The key of a read.
   *
   * @throws IllegalArgumentException when the key template needs a variable the request lacks
   */
  public String key(Parsed request, HttpRequestView view, RoutePolicy route, @Nullable String identity) {
    StringBuilder key = new StringBuilder(96);
    Template template = route.keyTemplate();
    if (template != null) {
      key.append(template.render(request.variables()));
    } else {
      key.append("GET:").append(request.path().path());
      if (!request.query().canonical().isEmpty()) {
        key.append('?').append(request.query().canonical());
      }
    }
    for (String name : route.varyByHeaders()) {
      key.append("|h:").append(name);
      List<String> values = view.headers(name);
      if (!values.isEmpty()) {
        StringBuilder joined = new StringBuilder();
        for (String v : values) {
          joined.append(joined.length() > 0 ? "," : "").append(v.trim());
        }
        key.append('=').append(PercentEncoding.escapeKeyValue(joined.toString()));
      }
    }
    if (route.varyByPrincipal()) {
      key.append(identity == null ? "|a" : "|u:" + PercentEncoding.escapeKeyValue(identity));
    }
    return key.toString();
  }

  /**
   * The tags of a stored read: the route's rendered tags, then the path tags.
   *
   * @throws IllegalArgumentException when a tag template needs a variable the request lacks
   */
  public List<String> tags(Parsed request, RoutePolicy route) {
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    for (Template t : route.tags()) {
      tags.add(t.render(request.variables()));
    }
    tags.addAll(PathTags.forRead(request.path()));
    return new ArrayList<>(tags);
  }
}
