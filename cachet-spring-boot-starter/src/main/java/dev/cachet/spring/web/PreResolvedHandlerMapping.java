package dev.cachet.spring.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Hands the dispatcher the handler that {@link HandlerRouteResolver} already looked up for this
 * request, so that a miss or a write does not pay for the handler-mapping lookup twice.
 *
 * <p>First in order; answers only the same request (method and URI) in its original
 * {@link DispatcherType#REQUEST} dispatch, so forwards, includes and error dispatches are looked
 * up as usual. Thread-safe: the handler travels in a request attribute.
 */
final class PreResolvedHandlerMapping implements HandlerMapping, Ordered {
  private static final String ATTRIBUTE = PreResolvedHandlerMapping.class.getName();

  private record Resolved(String method, String uri, HandlerExecutionChain chain) {}

  /** Remembers {@code chain} as the handler of {@code request}. */
  static void remember(HttpServletRequest request, HandlerExecutionChain chain) {
    request.setAttribute(ATTRIBUTE, new Resolved(request.getMethod(), request.getRequestURI(), chain));
  }

  @Override
  public @Nullable HandlerExecutionChain getHandler(HttpServletRequest request) {
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || !(request.getAttribute(ATTRIBUTE) instanceof Resolved resolved)) {
      return null;
    }
    if (!resolved.method().equals(request.getMethod())
        || !Objects.equals(resolved.uri(), request.getRequestURI())) {
      return null;
    }
    return resolved.chain();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
