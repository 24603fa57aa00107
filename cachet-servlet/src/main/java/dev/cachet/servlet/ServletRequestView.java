package dev.cachet.servlet;

import dev.cachet.http.HttpRequestView;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A Servlet request as the cache sees it. Used by one thread for one request. */
final class ServletRequestView implements HttpRequestView {
  private final HttpServletRequest request;
  private final Function<HttpServletRequest, @Nullable String> identity;
  private final Map<String, String> pathVariables;

  ServletRequestView(
      HttpServletRequest request, Function<HttpServletRequest, @Nullable String> identity,
      Map<String, String> pathVariables) {
    this.request = request;
    this.identity = identity;
    this.pathVariables = pathVariables;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String rawPath() {
    return request.getRequestURI();
  }

  @Override
  public @Nullable String rawQuery() {
    return request.getQueryString();
  }

  @Override
  public List<String> headers(String name) {
    // Most headers asked for (the origin's forwarding headers, credentials) are absent: answered
    // without an enumeration and a list.
    String first = request.getHeader(name);
    if (first == null) {
      return List.of();
    }
    Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of(first) : Collections.list(values);
  }

  @Override
  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public @Nullable String identity() {
    return identity.apply(request);
  }

  /**
   * The origin as the request, wrappers included, tells it, when a wrapper changed it (a filter
   * applied forwarding headers and hid them) or the request has no {@code Host} (Jetty then
   * takes the host of an absolute request target); else {@code null}: the {@code Host} header,
   * keyed already, and the connection decide it. Not keyed always: instances behind one balancer
   * listen on ports of their own, and their entries are shared only when the port stays out.
   */
  @Override
  public @Nullable String effectiveOrigin() {
    ServletRequest container = request;
    while (container instanceof ServletRequestWrapper wrapper) {
      container = wrapper.getRequest();
    }
    String scheme = request.getScheme();
    String host = request.getServerName();
    int port = request.getServerPort();
    boolean applied = container != request && (!Objects.equals(scheme, container.getScheme())
        || !Objects.equals(host, container.getServerName()) || port != container.getServerPort());
    if (!applied && request.getHeader("Host") != null) {
      return null;
    }
    return scheme + "://" + host + ":" + port;
  }

  /** Whether the container or a security filter before this one set a user principal. */
  @Override
  public boolean authenticated() {
    return request.getUserPrincipal() != null;
  }

  @Override
  public Map<String, String> pathVariables() {
    return pathVariables;
  }

  /**
   * The form's fields, as the container parsed them for the handler ({@code getParameterMap}
   * holds the query's parameters too, which take precedence anyway); none unless the body is a
   * URL-encoded form. A body the handler read as a stream yields none: the container can no
   * longer parse it.
   */
  @Override
  public Map<String, String> formFields() {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Map.of();
    }
    Map<String, String> first = new HashMap<>();
    try {
      request.getParameterMap().forEach((name, values) -> {
        if (values != null && values.length > 0 && values[0] != null) {
          first.put(name, values[0]);
        }
      });
    } catch (RuntimeException e) {
      return Map.of(); // a body the container cannot parse names nothing
    }
    return first;
  }

  @Override
  public String toString() {
    return request.getMethod() + " " + request.getRequestURI();
  }
}
