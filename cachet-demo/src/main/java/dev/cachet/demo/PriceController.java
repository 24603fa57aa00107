package dev.cachet.demo;

import java.math.BigDecimal;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Exposes {@link PriceService}, whose results are cached by {@code @Cached}. */
@RestController
class PriceController {
  private final PriceService prices;

  PriceController(PriceService prices) {
    this.prices = prices;
  }

  @GetMapping("/prices/{sku}")
  Price price(@PathVariable String sku) {
    return prices.price(sku);
  }

  @PutMapping("/prices/{sku}")
  Price setPrice(@PathVariable String sku, @RequestBody Map<String, BigDecimal> body) {
    prices.setPrice(sku, body.getOrDefault("price", BigDecimal.ZERO));
    return prices.price(sku);
  }
}
