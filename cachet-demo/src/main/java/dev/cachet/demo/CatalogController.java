package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A large cached document (about 60 KB of JSON) to show compression: with
 * {@code server.compression.enabled}, Cachet stores it gzip-compressed once and sends the stored
 * bytes to every client that accepts gzip, where Tomcat would compress each response anew.
 */
@RestController
class CatalogController {
  record Product(int id, String name, String description, long priceCents, List<String> tags) {}

  private static final List<Product> PRODUCTS = IntStream.rangeClosed(1, 400)
      .mapToObj(i -> new Product(i, "Product " + i,
          "A sturdy, well-reviewed item number " + i + " from the demo catalog.",
          100L * (i % 97 + 1), List.of("demo", i % 2 == 0 ? "even" : "odd")))
      .toList();

  @GetMapping("/catalog")
  @CacheResponse(ttl = "5m", tags = "catalog")
  List<Product> catalog() {
    return PRODUCTS;
  }
}
