package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-user data: {@code /me} varies by the caller, so one user's entry is never served to
 * another. The demo's identity is the {@code X-User} header (see {@link DemoIdentity}).
 */
@RestController
class UserController {
  @GetMapping("/me")
  @CacheResponse(ttl = "1m", varyByPrincipal = true)
  Map<String, Object> me(@RequestHeader(name = "X-User", defaultValue = "anonymous") String user) {
    return Map.of("user", user, "greeting", "Hello, " + user, "servedAt", System.nanoTime());
  }
}
