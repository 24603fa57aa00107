package dev.cachet.servlet;

import dev.cachet.http.internal.QueryNormalizer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A cached read's request as its handler sees it: without the query parameters the key ignores
 * ({@code utm_*} by default). The response is stored for every request of the key, so nothing
 * the key leaves out may shape it: a handler that echoed its URL, or read such a parameter,
 * would otherwise serve one client's value to all. Not thread-safe, as the request is not.
 */
final class KeyedParametersOnly extends HttpServletRequestWrapper {
  private final String query;
  private final QueryNormalizer keys;
  private @Nullable Map<String, String[]> parameters;

  private KeyedParametersOnly(HttpServletRequest request, String query, QueryNormalizer keys) {
    super(request);
    this.query = query;
    this.keys = keys;
  }

  /** {@code request}, or a view of it without the parameters {@code keys} ignores, if it has any. */
  static HttpServletRequest of(HttpServletRequest request, QueryNormalizer keys) {
    String kept = keys.withoutIgnored(request.getQueryString());
    return kept == null ? request : new KeyedParametersOnly(request, kept, keys);
  }

  @Override
  public @Nullable String getQueryString() {
    return query.isEmpty() ? null : query;
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    Map<String, String[]> kept = parameters;
    if (kept == null) {
      kept = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> e : super.getParameterMap().entrySet()) {
        if (!keys.isIgnored(e.getKey())) {
          kept.put(e.getKey(), e.getValue());
        }
      }
      kept = Collections.unmodifiableMap(kept);
      parameters = kept;
    }
    return kept;
  }

  @Override
  public @Nullable String getParameter(String name) {
    String[] values = getParameterMap().get(name);
    return values == null || values.length == 0 ? null : values[0];
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(getParameterMap().keySet());
  }

  @Override
  public String @Nullable [] getParameterValues(String name) {
    String[] values = getParameterMap().get(name);
    return values == null ? null : values.clone();
  }
}
