package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import dev.cachet.spring.InvalidateCache;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Extra routes for the integration test: cookies, errors, large bodies, declared invalidation. */
@RestController
class TestRoutes {
  private final AtomicInteger calls = new AtomicInteger();

  /** Through the proxy too: how many times a handler here ran. */
  public int calls() {
    return calls.get();
  }

  @GetMapping("/test/cookie")
  @CacheResponse
  ResponseEntity<Map<String, Object>> cookie() {
    return ResponseEntity.ok().header("Set-Cookie", "session=" + calls.incrementAndGet()).body(Map.of("n", calls.get()));
  }

  @GetMapping("/test/error")
  @CacheResponse
  ResponseEntity<Map<String, Object>> error() {
    return ResponseEntity.status(503).body(Map.of("n", calls.incrementAndGet()));
  }

  @GetMapping("/test/big")
  @CacheResponse
  String big(@RequestParam(defaultValue = "200000") int size) {
    calls.incrementAndGet();
    return "x".repeat(size);
  }

  @GetMapping("/test/tagged/{id}")
  @CacheResponse(tags = "thing:{id}")
  Map<String, Object> tagged(@PathVariable String id) {
    return Map.of("id", id, "n", calls.incrementAndGet());
  }

  @PostMapping("/test/things/{id}/touch")
  @InvalidateCache(tags = "thing:{id}")
  ResponseEntity<Void> touch(@PathVariable String id, @RequestParam(defaultValue = "200") int status) {
    return ResponseEntity.status(status).build();
  }
}
