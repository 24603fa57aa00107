package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Access by Spring Security authority, alongside the token; and the insecure local mode. */
@ExtendWith(OutputCaptureExtension.class)
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
  private static AdminHttp openToAll;

  @BeforeAll
  static void start() {
    secured = AdminHttp.start(SecuredApp.class, "cachet.admin.enabled=true", "cachet.admin.authority=cachet:admin",
        "cachet.admin.token=" + AdminHttp.TOKEN);
    // Behind a proxy on this machine that says who the client is (X-Forwarded-For), as Tomcat's
    // RemoteIpValve reads it: a client of another host then has its own address.
    open = AdminHttp.start(OpenApp.class, "cachet.admin.enabled=true", "cachet.admin.insecure=true",
        "cachet.admin.base-path=/ops/cache", "cachet.admin.dashboard=false", "server.forward-headers-strategy=native");
    openToAll = AdminHttp.start(OpenApp.class, "cachet.admin.enabled=true", "cachet.admin.insecure=true",
        "cachet.admin.insecure-remote-access=true", "server.forward-headers-strategy=native");
  }

  @AfterAll
  static void stop() {
    secured.close();
    open.close();
    openToAll.close();
  }

  private static AdminHttp.Reply clear(AdminHttp app, String base, Map<String, String> headers) {
    return app.sendWithHeader("POST", base + "/clear", null, null, null, headers);
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

  @Test
  void insecureModeRefusesWritesAPageOfAnotherOriginCouldSend() {
    Cachet cachet = open.bean(Cachet.class);
    cachet.put("user:1", "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(5)));
    String own = "http://127.0.0.1:" + open.port;
    Map<String, Map<String, String>> refused = new LinkedHashMap<>();
    refused.put("another origin", Map.of("Origin", "http://evil.example"));
    refused.put("this host on another port", Map.of("Origin", "http://127.0.0.1:1"));
    refused.put("an opaque origin", Map.of("Origin", "null"));
    refused.put("a cross-site fetch", Map.of("Sec-Fetch-Site", "cross-site"));
    refused.put("a same-site fetch", Map.of("Sec-Fetch-Site", "same-site", "Origin", "http://a.localhost:" + open.port));
    for (Map.Entry<String, Map<String, String>> e : refused.entrySet()) {
      AdminHttp.Reply reply = clear(open, "/ops/cache", e.getValue());
      assertThat(reply.status()).as(e.getKey()).isEqualTo(403);
      assertThat(reply.json().get("message").asString()).as(e.getKey()).contains("another origin");
    }
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      AdminHttp.Reply reply = open.sendWithHeader("POST", "/ops/cache/invalidate", null, type, "tags=users",
          Map.of("Origin", own));
      assertThat(reply.status()).as(type).isEqualTo(415);
      assertThat(reply.json().get("message").asString()).as(type).contains("JSON");
    }
    assertThat(cachet.exists("user:1")).isTrue();
    // Reads from another origin are harmless (the browser does not let the page read them).
    assertThat(open.sendWithHeader("GET", "/ops/cache/stats", null, null, null, Map.of("Origin", "http://evil.example"))
        .status()).isEqualTo(200);
    // This origin's own pages write, with no body or a JSON one.
    assertThat(open.sendWithHeader("POST", "/ops/cache/invalidate", null, "application/json", "{\"tags\":[\"x\"]}",
        Map.of("Origin", own, "Sec-Fetch-Site", "same-origin")).status()).isEqualTo(200);
    assertThat(clear(open, "/ops/cache", Map.of("Origin", own, "Sec-Fetch-Site", "same-origin")).status()).isEqualTo(200);
    assertThat(cachet.exists("user:1")).isFalse();
  }

  @Test
  void insecureModeAnswersOnlyThisMachineUnlessRemoteAccessIsOn() {
    // A client of another host, through a proxy on this machine.
    Map<String, String> forwarded = Map.of("X-Forwarded-For", "203.0.113.7");
    AdminHttp.Reply remote = open.sendWithHeader("GET", "/ops/cache/stats", null, null, null, forwarded);
    assertThat(remote.status()).isEqualTo(403);
    assertThat(remote.json().get("message").asString()).contains("only this machine").contains("cachet.admin.token");
    assertThat(clear(openToAll, "/cachet", forwarded).status()).isEqualTo(200);
    // A name of another site resolving to this machine (DNS rebinding) is not a loopback name.
    assertThat(rawGet(open, "/ops/cache/stats", "evil.example:" + open.port)).startsWith("HTTP/1.1 403");
    assertThat(rawGet(openToAll, "/cachet/stats", "evil.example:" + openToAll.port)).startsWith("HTTP/1.1 200");
    for (String host : List.of("localhost", "127.0.0.1", "127.0.0.2", "[::1]", "app.localhost")) {
      assertThat(rawGet(open, "/ops/cache/stats", host + ":" + open.port)).as(host).startsWith("HTTP/1.1 200");
    }
    assertThat(open.sendWithHeader("GET", "/ops/cache/stats", null, null, null, Map.of("X-Forwarded-For", "::1"))
        .status()).isEqualTo(200);
    // Cross-origin writes stay refused with remote access on.
    assertThat(clear(openToAll, "/cachet", Map.of("Origin", "http://evil.example")).status()).isEqualTo(403);
  }

  /** A GET with the Host header given (the JDK's client will not send one of ours); the status line and on. */
  private static String rawGet(AdminHttp app, String path, String host) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void insecureModeWarnsAtStart(CapturedOutput output) {
    try (AdminHttp app = AdminHttp.start(OpenApp.class, "cachet.admin.enabled=true", "cachet.admin.insecure=true")) {
      assertThat(output).contains("cachet.admin.insecure=true").contains("without credentials")
          .contains("For local development only");
    }
    int before = output.getAll().length();
    try (AdminHttp app = AdminHttp.start(OpenApp.class, "cachet.admin.enabled=true",
        "cachet.admin.token=" + AdminHttp.TOKEN)) {
      assertThat(output.getAll().substring(before)).as("with a token").doesNotContain("without credentials");
    }
  }
}
