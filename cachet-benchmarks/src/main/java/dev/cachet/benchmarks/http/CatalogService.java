package dev.cachet.benchmarks.http;

import java.util.List;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** What applications do today: Spring's {@code @Cacheable} (Caffeine) on the service method. */
@Service
public class CatalogService {
  private final Catalog catalog;

  public CatalogService(Catalog catalog) {
    this.catalog = catalog;
  }

  @Cacheable("products")
  public List<Product> products() {
    return catalog.large();
  }
}
