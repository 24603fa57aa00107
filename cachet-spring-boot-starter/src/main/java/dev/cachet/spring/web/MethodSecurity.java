package dev.cachet.spring.web;

import dev.cachet.http.RoutePolicy;
import java.util.List;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.web.method.HandlerMethod;

/**
 * Refuses, at start, a cached controller method that method security guards while its entries
 * are shared between callers: a hit is answered by Cachet's filter, before the dispatcher calls
 * the method, so a {@code @PreAuthorize} the caller fails would never run, and the response one
 * authorised caller stored would go to any other. Annotations are matched by name, so that
 * Spring Security and Jakarta Annotations stay optional. Thread-safe (stateless).
 */
final class MethodSecurity {
  private static final List<String> GUARDS = List.of(
      "org.springframework.security.access.prepost.PreAuthorize",
      "org.springframework.security.access.prepost.PostAuthorize",
      "org.springframework.security.access.prepost.PreFilter",
      "org.springframework.security.access.prepost.PostFilter",
      "org.springframework.security.access.annotation.Secured",
      "jakarta.annotation.security.RolesAllowed",
      "jakarta.annotation.security.DenyAll");

  private MethodSecurity() {}

  /**
   * @throws IllegalStateException when {@code handler}, or its class, carries a method-security
   *     annotation and {@code policy} shares entries between callers ({@code shared = true}
   *     without {@code varyByPrincipal}); an entry per caller is served only to the caller the
   *     check let through when it was stored, and a route that is not shared is never read or
   *     written by an authenticated request
   */
  static void check(HandlerMethod handler, RoutePolicy policy) {
    if (policy.varyByPrincipal() || !policy.sharedDespiteCredentials()) {
      return;
    }
    MergedAnnotations onMethod = MergedAnnotations.from(handler.getMethod(), SearchStrategy.TYPE_HIERARCHY);
    MergedAnnotations onClass = MergedAnnotations.from(handler.getBeanType(), SearchStrategy.TYPE_HIERARCHY);
    for (String guard : GUARDS) {
      if (onMethod.isPresent(guard) || onClass.isPresent(guard)) {
        String simple = guard.substring(guard.lastIndexOf('.') + 1);
        throw new IllegalStateException("@CacheResponse(shared = true) on " + handler.getShortLogMessage()
            + ", which @" + simple + " guards: a hit is answered before method security runs, so the"
            + " response one authorised caller stored would go to callers the check refuses. Use"
            + " varyByPrincipal = true (an entry per caller), drop shared = true, or check access in the"
            + " security filter chain, which runs before the cache");
      }
    }
  }
}
