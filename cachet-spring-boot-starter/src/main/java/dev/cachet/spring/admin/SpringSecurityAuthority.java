package dev.cachet.spring.admin;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Checks the Spring Security principal of the current request for one authority. Loaded only when
 * Spring Security is on the class path. Thread-safe.
 */
final class SpringSecurityAuthority implements AdminAccess.AuthorityCheck {
  private final String authority;

  SpringSecurityAuthority(String authority) {
    this.authority = authority;
  }

  @Override
  public AdminAccess.Outcome check() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return AdminAccess.Outcome.NO_CREDENTIALS;
    }
    for (GrantedAuthority granted : auth.getAuthorities()) {
      if (authority.equals(granted.getAuthority())) {
        return AdminAccess.Outcome.ALLOWED;
      }
    }
    return AdminAccess.Outcome.FORBIDDEN;
  }
}
