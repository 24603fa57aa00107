package dev.cachet.spring.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Turns away admin requests without credentials (401 with {@code WWW-Authenticate: Bearer}) or
 * with insufficient ones (403); in insecure mode, those from beyond this machine or from a page of
 * another origin (403) and writes with a form or text body (415). Registered only for the admin
 * API's paths. Thread-safe.
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
      case NOT_LOCAL:
        json.write(response, HttpStatus.FORBIDDEN, "cachet.admin.insecure=true answers only this machine, at"
            + " localhost, 127.0.0.1 or [::1]: set cachet.admin.token to use the admin API from elsewhere"
            + " (or cachet.admin.insecure-remote-access=true to open it to every client that can reach it)");
        return false;
      case CROSS_ORIGIN:
        json.write(response, HttpStatus.FORBIDDEN, "a write from a page of another origin is refused:"
            + " cachet.admin.insecure=true asks for no credentials, so only this origin's own pages may write");
        return false;
      case SIMPLE_BODY:
        json.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "with cachet.admin.insecure=true a write takes no"
            + " body or a JSON one: form and text/plain bodies are refused, as a page of another origin can send them");
        return false;
      default:
        response.setHeader("WWW-Authenticate", "Bearer realm=\"cachet\"");
        json.write(response, HttpStatus.UNAUTHORIZED,
            "credentials required: send 'Authorization: Bearer <cachet.admin.token>'");
        return false;
    }
  }
}
