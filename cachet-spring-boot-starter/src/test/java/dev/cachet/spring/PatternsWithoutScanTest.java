package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code @InvalidateCache(patterns = ...)} on a store that cannot find keys by pattern (as
 * Memcached cannot): the namespace is cleared instead, so the old value is never served fresh.
 */
class PatternsWithoutScanTest {
  public static class Prices {
    private final AtomicInteger version = new AtomicInteger(1);

    @Cached(key = "price:{sku}", ttl = "5m")
    public String price(String sku) {
      return sku + " v" + version.get();
    }

    @InvalidateCache(patterns = "price:*")
    public void repriceAll() {
      version.incrementAndGet();
    }
  }

  /** Stands for Memcached: every capability but scanning keys. */
  static CacheStore withoutScan() {
    return new ForwardingStore(MemoryStore.builder().build()) {
      @Override
      public Set<StoreCapability> capabilities() {
        return EnumSet.noneOf(StoreCapability.class);
      }
    };
  }

  @Test
  void aPatternTheStoreCannotFollowClearsTheNamespaceInstead() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
        .withBean(CacheStore.class, PatternsWithoutScanTest::withoutScan)
        .withBean(Prices.class)
        .run(context -> {
          Prices prices = context.getBean(Prices.class);
          assertThat(prices.price("apple")).isEqualTo("apple v1");
          assertThat(prices.price("apple")).isEqualTo("apple v1");
          prices.repriceAll();
          assertThat(prices.price("apple")).isEqualTo("apple v2");
        });
  }
}
