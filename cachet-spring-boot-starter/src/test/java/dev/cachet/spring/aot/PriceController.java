package dev.cachet.spring.aot;

import dev.cachet.spring.CacheResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A cached route over the cached bean. */
@RestController
public class PriceController {
  private final PriceBook book;

  public PriceController(PriceBook book) {
    this.book = book;
  }

  @GetMapping("/prices/{sku}")
  @CacheResponse(ttl = "5m", tags = "prices")
  public String price(@PathVariable String sku) {
    // A string, not a PriceBook type: Spring's own hints for controllers would cover that type.
    return "{\"sku\":\"" + sku + "\",\"loads\":" + book.loads() + "}";
  }
}
