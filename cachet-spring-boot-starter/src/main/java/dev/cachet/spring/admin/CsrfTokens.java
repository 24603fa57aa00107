package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.util.ClassUtils;

/**
 * The CSRF token Spring Security expects on the admin API's writes, for the dashboard: with
 * session-based sign-in (authority mode) and Spring Security's default token store, no cookie
 * carries the token, so the page asks for it. Stateless.
 */
final class CsrfTokens {
  static final String CSRF_TOKEN_CLASS = "org.springframework.security.web.csrf.CsrfToken";
  private static final boolean SECURITY_WEB = ClassUtils.isPresent(CSRF_TOKEN_CLASS, CsrfTokens.class.getClassLoader());

  private CsrfTokens() {}

  /**
   * {@code headerName} and {@code token} of the request's CSRF token; empty without Spring
   * Security's CSRF protection on this request.
   */
  static Map<String, String> of(HttpServletRequest request) {
    Map<String, String> body = new LinkedHashMap<>();
    if (SECURITY_WEB && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
      body.put("headerName", token.getHeaderName());
      body.put("token", token.getToken());
    }
    return body;
  }
}
