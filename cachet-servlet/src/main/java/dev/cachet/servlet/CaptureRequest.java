package dev.cachet.servlet;

import dev.cachet.http.Forward;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A cached read's request as its handler sees it while the cache may store the response
 * ({@link Forward#asksFullResponse()}): without the client's validators, preconditions and range
 * ({@link Forward#CLIENT_CONDITIONALS}). The response is stored for, and shared with, every
 * request of the key, so it must be the full one: a handler (Spring MVC's {@code ResponseEntity}
 * with an {@code ETag}, a {@code Resource} body) would otherwise answer this client's {@code 304}
 * or {@code 206}, which cannot be stored, and concurrent misses waiting for it would each run
 * their own handler. The cache evaluates the client's conditional against the full response
 * afterwards. Not thread-safe, as the request is not.
 */
final class CaptureRequest extends HttpServletRequestWrapper {
  private static final Set<String> HIDDEN = hidden();

  private CaptureRequest(HttpServletRequest request) {
    super(request);
  }

  /** {@code request} as the handler of a run for {@code forward} sees it. */
  static HttpServletRequest of(HttpServletRequest request, Forward forward) {
    return forward.asksFullResponse() ? new CaptureRequest(request) : request;
  }

  private static Set<String> hidden() {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(Forward.CLIENT_CONDITIONALS);
    return Collections.unmodifiableSet(names);
  }

  @Override
  public @Nullable String getHeader(String name) {
    return HIDDEN.contains(name) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return HIDDEN.contains(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (Enumeration<String> all = super.getHeaderNames(); all != null && all.hasMoreElements(); ) {
      String name = all.nextElement();
      if (!HIDDEN.contains(name)) {
        names.add(name);
      }
    }
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    return HIDDEN.contains(name) ? -1 : super.getDateHeader(name);
  }

  @Override
  public int getIntHeader(String name) {
    return HIDDEN.contains(name) ? -1 : super.getIntHeader(name);
  }
}
