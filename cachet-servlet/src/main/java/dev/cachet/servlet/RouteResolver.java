package dev.cachet.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the {@link Route} of a request: a {@link RouteTable} in plain Servlet applications, the
 * framework's handler mapping in Spring. Thread-safe.
 */
@FunctionalInterface
public interface RouteResolver {
  /** The route of {@code request}, or {@code null} to leave the request alone entirely. */
  @Nullable Route resolve(HttpServletRequest request);
}
