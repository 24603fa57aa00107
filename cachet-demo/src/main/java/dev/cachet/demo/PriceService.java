package dev.cachet.demo;

import dev.cachet.spring.Cached;
import dev.cachet.spring.InvalidateCache;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** Method-result caching on a plain bean: {@code @Cached} with a key template and tags. */
@Service
public class PriceService {
  private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>(Map.of("apple", new BigDecimal("1.20")));

  /** A price lookup, cached per SKU for 5 minutes, refreshed ahead of expiry. */
  @Cached(key = "price:{sku}", ttl = "5m", tags = {"prices", "price:{sku}"}, refreshAhead = 0.8, jitter = 0.1)
  public Price price(String sku) {
    return new Price(sku, prices.getOrDefault(sku, BigDecimal.ZERO), System.nanoTime());
  }

  /** Changes a price; its cached lookup is invalidated once this returns. */
  @InvalidateCache(tags = "price:{sku}")
  public void setPrice(String sku, BigDecimal price) {
    prices.put(sku, price);
  }
}
