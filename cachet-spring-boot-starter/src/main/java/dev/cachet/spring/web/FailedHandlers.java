package dev.cachet.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Marks each request whose handler threw before any exception resolver answers it, so that the
 * filter never stores what an {@code @ExceptionHandler} or an error view wrote: such a handler
 * answers 200 unless told otherwise, and Spring clears its own error attributes once an error
 * view has rendered. Resolves nothing itself. Stateless and thread-safe.
 */
final class FailedHandlers implements HandlerExceptionResolver, Ordered {
  /** The request attribute set on a failed handler's request. */
  static final String ATTRIBUTE = FailedHandlers.class.getName() + ".FAILED";

  static boolean failed(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) != null;
  }

  @Override
  public @Nullable ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, @Nullable Object handler, Exception ex) {
    request.setAttribute(ATTRIBUTE, Boolean.TRUE);
    return null; // the application's own resolvers answer
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
