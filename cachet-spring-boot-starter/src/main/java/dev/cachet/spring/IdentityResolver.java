package dev.cachet.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Says who is calling, for routes that {@link CacheResponse#varyByPrincipal() vary by principal}:
 * a stable user id, or {@code null} for an anonymous caller (who then never shares a per-user
 * entry). The default uses the name of {@link HttpServletRequest#getUserPrincipal()}; define a
 * bean to use something else. Must be thread-safe.
 */
@FunctionalInterface
public interface IdentityResolver {
  @Nullable String identify(HttpServletRequest request);
}
