package dev.cachet.benchmarks.http;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documents every endpoint serves, built once at start-up: a large list (about 50 KB of JSON)
 * and a small one (about 1 KB), each also kept as the exact bytes Spring MVC's JSON converter
 * writes for it, for the endpoints that skip serialization. Immutable and thread-safe.
 */
@Component
public final class Catalog {
  static final int LARGE_BYTES = 50 * 1024;
  static final int SMALL_BYTES = 1024;

  private final List<Product> large;
  private final List<Product> small;
  private final byte[] largeJson;
  private final byte[] smallJson;

  /** {@code mapper} is the application's, so the bytes equal what the converter writes. */
  public Catalog(JsonMapper mapper) {
    this.large = build(mapper, LARGE_BYTES);
    this.small = build(mapper, SMALL_BYTES);
    this.largeJson = mapper.writeValueAsBytes(large);
    this.smallJson = mapper.writeValueAsBytes(small);
  }

  /** The fewest products whose JSON array is at least {@code bytes} long; deterministic. */
  private static List<Product> build(JsonMapper mapper, int bytes) {
    List<Product> products = new ArrayList<>();
    while (mapper.writeValueAsBytes(products).length < bytes) {
      products.add(product(products.size() + 1));
    }
    return List.copyOf(products);
  }

  private static Product product(int i) {
    return new Product(
        i,
        String.format("SKU-%06d", i),
        "Product " + i,
        "A catalogue entry used by the HTTP benchmarks, number " + i + ".",
        (i * 37 % 10_000) / 100.0,
        i * 13 % 500,
        List.of("category:" + (i % 12), "brand:" + (i % 7)),
        i % 5 != 0);
  }

  public List<Product> large() {
    return large;
  }

  public List<Product> small() {
    return small;
  }

  /** The JSON of {@link #large()}; the array is shared, callers must not change it. */
  public byte[] largeJson() {
    return largeJson;
  }

  /** The JSON of {@link #small()}; the array is shared, callers must not change it. */
  public byte[] smallJson() {
    return smallJson;
  }
}
