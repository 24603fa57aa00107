package dev.cachet.benchmarks.http;

import dev.cachet.spring.CacheResponse;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The measured endpoints. All but the {@code -small} ones serve the same ~50 KB JSON document;
 * query parameters are ignored by the handlers (the {@code ?r=} of the miss runs only makes
 * every request's cache key distinct).
 */
@RestController
class BenchController {
  private final Catalog catalog;
  private final CatalogService service;

  BenchController(Catalog catalog, CatalogService service) {
    this.catalog = catalog;
    this.service = service;
  }

  /** The floor: precomputed bytes, no serialization. */
  @GetMapping("/raw")
  ResponseEntity<byte[]> raw() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(catalog.largeJson());
  }

  @GetMapping("/raw-small")
  ResponseEntity<byte[]> rawSmall() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(catalog.smallJson());
  }

  /** Uncached: Spring MVC serializes the records on every request. */
  @GetMapping("/plain")
  List<Product> plain() {
    return catalog.large();
  }

  /** The same handler as {@link #plain()}, with its responses cached by Cachet. */
  @GetMapping("/cachet")
  @CacheResponse(ttl = "1h")
  List<Product> cachet() {
    return catalog.large();
  }

  @GetMapping("/cachet-small")
  @CacheResponse(ttl = "1h")
  List<Product> cachetSmall() {
    return catalog.small();
  }

  /** Requested with a distinct {@code ?r=} each time, so every request misses. */
  @GetMapping("/cachet-miss")
  @CacheResponse(ttl = "1h")
  List<Product> cachetMiss() {
    return catalog.large();
  }

  /** Spring's {@code @Cacheable} hit, serialized by Spring MVC on every request. */
  @GetMapping("/spring")
  List<Product> spring() {
    return service.products();
  }
}
