package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Access by Spring Security authority, alongside the token; and the insecure local mode. */
class AdminAccessModesTest {
  /**
   * Stands for the application's Spring Security authentication: a principal named in
   * {@code X-Test-User: name;authority,authority}.
   */
  static final class HeaderAuthentication extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String user = request.getHeader("X-Test-User");
      try {
        if (user != null) {
          String[] parts = user.split(";", 2);
          SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
              parts[0], null, Arrays.stream(parts[1].split(",")).map(SimpleGrantedAuthority::new).toList()));
        }
        chain.doFilter(request, response);
      } finally {
        SecurityContextHolder.clearContext();
      }
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class SecuredApp {
    @Bean
    HeaderAuthentication headerAuthentication() {
      return new HeaderAuthentication();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class OpenApp {}

  private static AdminHttp secured;
  private static AdminHttp open;

  @BeforeAll
  static void start() {
    secured = AdminHttp.start(SecuredApp.class, "cachet.admin.enabled=true", "cachet.admin.authority=cachet:admin",
        "cachet.admin.token=" + AdminHttp.TOKEN);
    open = AdminHttp.start(OpenApp.class, "cachet.admin.enabled=true", "cachet.admin.insecure=true",
        "cachet.admin.base-path=/ops/cache", "cachet.admin.dashboard=false");
  }

  @AfterAll
  static void stop() {
    secured.close();
    open.close();
  }

  private static AdminHttp.Reply as(String user, String path) {
    return secured.sendWithHeader("GET", path, null, null, null, Map.of("X-Test-User", user));
  }

  @Test
  void aPrincipalWithTheAuthorityIsLetInAndOneWithoutIsForbidden() {
    assertThat(as("alice;ROLE_USER,cachet:admin", "/cachet/stats").status()).isEqualTo(200);
    AdminHttp.Reply bob = as("bob;ROLE_USER,cachet:admins", "/cachet/stats");
    assertThat(bob.status()).isEqualTo(403);
    assertThat(bob.json().get("message").asString()).contains("authority");
    assertThat(secured.sendWithHeader("POST", "/cachet/clear", null, null, null, Map.of("X-Test-User", "bob;x"))
        .status()).isEqualTo(403);
  }

  @Test
  void withoutAPrincipalTheTokenStillWorksAndNothingIs401() {
    assertThat(secured.get("/cachet/stats", null).status()).isEqualTo(401);
    assertThat(secured.get("/cachet/stats", null).header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(secured.get("/cachet/stats", AdminHttp.TOKEN).status()).isEqualTo(200);
    AdminHttp.Reply wrong = secured.get("/cachet/stats", AdminHttp.TOKEN.replace('s', 'z'));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
    // A principal without the authority is not rescued by a wrong token, nor stopped by the right one.
    assertThat(secured.sendWithHeader("GET", "/cachet/stats", "Bearer nope", null, null, Map.of("X-Test-User", "bob;x"))
        .status()).isEqualTo(403);
    assertThat(secured.sendWithHeader("GET", "/cachet/stats", "Bearer " + AdminHttp.TOKEN, null, null,
        Map.of("X-Test-User", "bob;x")).status()).isEqualTo(200);
  }

  @Test
  void insecureModeNeedsNothingAndTheBasePathMoves() {
    assertThat(open.get("/ops/cache/stats", null).status()).isEqualTo(200);
    assertThat(open.get("/ops/cache/health", null).json().get("status").asString()).isEqualTo("UP");
    assertThat(open.send("POST", "/ops/cache/clear", null, null, null).status()).isEqualTo(200);
    assertThat(open.get("/cachet/stats", null).status()).isEqualTo(404);
    assertThat(open.get("/ops/cache/dashboard", null).status()).isEqualTo(404);
  }
}
