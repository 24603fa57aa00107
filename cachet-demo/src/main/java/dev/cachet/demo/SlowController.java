package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A slow origin (about 300 ms): concurrent misses compute it once (single-flight), and once it is
 * 5 s old callers get the stale copy at once while one request refreshes it.
 */
@RestController
class SlowController {
  private final AtomicInteger computations = new AtomicInteger();

  @GetMapping("/slow")
  @CacheResponse(ttl = "5s", staleWhileRevalidate = "30s")
  Map<String, Object> slow() throws InterruptedException {
    Thread.sleep(300); // stands for a slow database query
    return Map.of("computation", computations.incrementAndGet(), "timestamp", Timestamps.now());
  }
}
