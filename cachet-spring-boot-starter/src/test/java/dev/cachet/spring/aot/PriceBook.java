package dev.cachet.spring.aot;

import dev.cachet.spring.Cached;
import dev.cachet.spring.InvalidateCache;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bean with {@code @Cached} methods whose values and key arguments only Jackson and reflection
 * read: in a native image they work only with the hints Cachet's AOT processing registers. Each
 * type is used by one method, so that a test names the hint it checks.
 */
public class PriceBook {
  /** A value: the return type of {@link #price}. */
  public record Price(String sku, long cents) {}

  /** A value inside a generic return type: the element of {@link #quotes}. */
  public record Quote(String sku, long cents, String currency) {}

  /** An argument serialized into a default key, by Jackson. */
  public record Range(long fromCents, long toCents) {}

  /** An argument read by a key template ({@code {shelf.aisle}}): through its getter. */
  public static class Shelf {
    private final String aisle;

    public Shelf(String aisle) {
      this.aisle = aisle;
    }

    public String getAisle() {
      return aisle;
    }
  }

  private final AtomicInteger loads = new AtomicInteger();

  /** How many times a method body ran (through the proxy: the target's count). */
  public int loads() {
    return loads.get();
  }

  @Cached(key = "price:{sku}", tags = {"prices", "price:{sku}"})
  public Price price(String sku) {
    return new Price(sku, 100L * loads.incrementAndGet());
  }

  @Cached(tags = "prices")
  public List<Quote> quotes(Range range) {
    int n = loads.incrementAndGet();
    return List.of(new Quote("a", range.fromCents() + n, "EUR"), new Quote("b", range.toCents() + n, "EUR"));
  }

  @Cached(key = "shelf:{shelf.aisle}")
  public String label(Shelf shelf) {
    return shelf.getAisle() + "#" + loads.incrementAndGet();
  }

  @InvalidateCache(tags = "price:{sku}")
  public void reprice(String sku) {}
}
