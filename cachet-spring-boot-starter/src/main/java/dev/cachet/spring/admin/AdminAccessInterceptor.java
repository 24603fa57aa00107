package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Turns away admin requests without credentials (401 with {@code WWW-Authenticate: Bearer}) or
 * with insufficient ones (403). Registered only for the admin API's paths. Thread-safe.
 */
final class AdminAccessInterceptor implements HandlerInterceptor {
  private final AdminAccess access;
  private final AdminJson json;

  AdminAccessInterceptor(AdminAccess access, AdminJson json) {
    this.access = access;
    this.json = json;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    switch (access.check(request)) {
      case ALLOWED:
        return true;
      case BAD_TOKEN:
        response.setHeader("WWW-Authenticate", "Bearer realm=\"cachet\", error=\"invalid_token\"");
        json.write(response, HttpStatus.UNAUTHORIZED, "the bearer token is not the admin token");
        return false;
      case FORBIDDEN:
        json.write(response, HttpStatus.FORBIDDEN, "the principal lacks the authority the admin API requires");
        return false;
      default:
        response.setHeader("WWW-Authenticate", "Bearer realm=\"cachet\"");
        json.write(response, HttpStatus.UNAUTHORIZED,
            "credentials required: send 'Authorization: Bearer <cachet.admin.token>'");
        return false;
    }
  }
}
