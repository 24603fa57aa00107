package dev.cachet.demo;

import java.math.BigDecimal;

/**
 * A price as {@link PriceService} computes it. A record rather than a map, so that the cached JSON
 * decodes back into the same types: an untyped {@code 1.20} would come back as the double
 * {@code 1.2}.
 */
public record Price(String sku, BigDecimal price, long computedAt) {}
