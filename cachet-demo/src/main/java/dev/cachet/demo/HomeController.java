package dev.cachet.demo;

import dev.cachet.Cachet;
import dev.cachet.spring.CacheResponse;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tagged-cache example: per-route TTLs, tags, and a one-call tag invalidation. */
@RestController
class HomeController {
  private final Cachet cachet;

  HomeController(Cachet cachet) {
    this.cachet = cachet;
  }

  @GetMapping("/")
  Map<String, String> home() {
    return Map.of("message", "Hello! Try /cached, /tagged, /spaces/1/items, /me or /slow");
  }

  @GetMapping("/cached")
  @CacheResponse(ttl = "10s")
  Map<String, Object> cached() {
    return Map.of("timestamp", Timestamps.now(), "note", "Refreshes every 10s");
  }

  @GetMapping("/tagged")
  @CacheResponse(tags = {"users", "list"})
  Map<String, Object> tagged() {
    return Map.of("data", "User List", "timestamp", Timestamps.now());
  }

  @PostMapping("/invalidate")
  Map<String, String> invalidate() {
    cachet.invalidateTags("users");
    return Map.of("status", "Cache invalidated for tag 'users'");
  }
}
