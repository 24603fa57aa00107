package dev.cachet.spring.web;

import dev.cachet.servlet.Route;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Remembers the route that Spring MVC's handler lookup gave a recent {@code GET} or {@code HEAD}
 * of a URI, so that a hit on that URI does not pay for the lookup again (about 3 µs of the 48 µs
 * of CPU a 1 KB hit costs in the benchmark application).
 *
 * <p>Only lookups whose outcome depends on nothing but the method and the URI are remembered:
 * <ul>
 *   <li>answered by the first annotated-controller mapping in the dispatcher's order, when every
 *       mapping before it is a router-function mapping without routes or a request-mapping one
 *       (such as Actuator's) none of whose patterns can match this path;
 *   <li>on a path that no {@code GET}-capable mapping with a condition beyond path and method
 *       (parameters, headers, consumes, produces, API version, custom) can match;
 *   <li>with patterns parsed case-sensitively by {@link PathPattern}, on a plain path
 *       ({@link CachedPathPrefixes#plainPath}).
 * </ul>
 * "Can match" is judged by literal pattern prefixes, so it errs towards looking up. When any
 * mapping is of another kind, nothing is remembered. Handler methods registered after start
 * are not seen by URIs already remembered, as with {@link CachedPathPrefixes}.
 *
 * <p>Bounded: a direct-mapped table of {@value #SLOTS} slots, and URIs longer than
 * {@value #MAX_URI} characters are never remembered. Thread-safe without locks: a slot holds
 * an immutable entry, which a racing reader sees whole or not at all.
 */
final class RouteMemo {
  static final int SLOTS = 1024;
  static final int MAX_URI = 512;

  /** A remembered lookup: the route of {@code method} {@code uri}, or {@code null} if not cached. */
  record Entry(String method, String uri, @Nullable Route route) {}

  private final HandlerMapping answering;
  /** Literal beginnings of the patterns whose lookups may depend on more than the path. */
  private final List<String> guards;
  private final Entry[] slots = new Entry[SLOTS];

  private RouteMemo(HandlerMapping answering, List<String> guards) {
    this.answering = answering;
    this.guards = List.copyOf(guards);
  }

  /** A memo for the dispatcher's mappings in order, or {@code null} when none can be kept. */
  static @Nullable RouteMemo of(List<HandlerMapping> dispatchOrder) {
    List<String> guards = new ArrayList<>();
    for (HandlerMapping mapping : dispatchOrder) {
      if (mapping instanceof RouterFunctionMapping routes && routes.getRouterFunction() == null) {
        continue; // never answers
      }
      if (!(mapping instanceof RequestMappingInfoHandlerMapping infos)
          || infos.getPatternParser() == null || !infos.getPatternParser().isCaseSensitive()
          || infos.getApiVersionStrategy() != null) {
        return null;
      }
      boolean answers = mapping instanceof RequestMappingHandlerMapping;
      for (RequestMappingInfo info : infos.getHandlerMethods().keySet()) {
        // Before the answering mapping any pattern may answer first (or refuse the method);
        // in it, only a conditional handler can make one path's lookups differ.
        if ((!answers || (SelectingHeaders.readable(info) && conditional(info))) && !addPrefixes(info, guards)) {
          return null;
        }
      }
      if (answers) {
        return new RouteMemo(mapping, guards);
      }
    }
    return null;
  }

  private static boolean conditional(RequestMappingInfo info) {
    return !info.getParamsCondition().isEmpty() || !info.getHeadersCondition().isEmpty()
        || !info.getConsumesCondition().isEmpty() || !info.getProducesCondition().isEmpty()
        || !info.getVersionCondition().isEmpty() || info.getCustomCondition() != null;
  }

  private static boolean addPrefixes(RequestMappingInfo info, List<String> guards) {
    if (info.getPathPatternsCondition() == null) {
      return false;
    }
    for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
      guards.add(CachedPathPrefixes.literalPrefix(pattern.getPatternString()));
    }
    return true;
  }

  /** The remembered lookup of {@code method} {@code uri}, or {@code null} if there is none. */
  @Nullable Entry find(String method, String uri) {
    Entry entry = slots[slot(method, uri)];
    return entry != null && entry.uri().equals(uri) && entry.method().equals(method) ? entry : null;
  }

  /**
   * Remembers that {@code request} resolved to {@code route} through {@code answeredBy}, if
   * that outcome depends on its method and URI alone.
   */
  void remember(HttpServletRequest request, String method, String uri, HandlerMapping answeredBy,
      @Nullable Route route) {
    if (answeredBy != answering || uri.length() > MAX_URI) {
      return;
    }
    String path = CachedPathPrefixes.plainPath(request);
    if (path == null) {
      return;
    }
    for (String guard : guards) {
      if (path.startsWith(guard)) {
        return;
      }
    }
    slots[slot(method, uri)] = new Entry(method, uri, route);
  }

  private static int slot(String method, String uri) {
    int h = uri.hashCode() * 31 + method.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
