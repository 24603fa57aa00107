package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.CachePolicy;
import java.time.Duration;
import dev.cachet.codec.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;

/**
 * What a {@code @Cached} method's entries can be read back as: an entry written for another
 * shape of the value (an older deploy's record) is a miss, never a value with fields left null;
 * template arguments that print alike do not share a key; a value type JSON cannot be read back
 * as fails the start.
 */
class MethodValueShapesTest {
  record PriceV1(String sku, int amount) {}

  record PriceV2(String sku, int amount, String currency) {}

  record PriceV3(String sku, int value) {}

  public static class Prices {
    private final AtomicInteger runs = new AtomicInteger();

    /** Through the proxy: the target's count. */
    public int runs() {
      return runs.get();
    }

    @Cached(key = "shape:{id}")
    public PriceV2 v2(String id) {
      runs.incrementAndGet();
      return new PriceV2(id, 2, "EUR");
    }

    @Cached(key = "renamed:{id}")
    public PriceV3 v3(String id) {
      runs.incrementAndGet();
      return new PriceV3(id, 3);
    }

    @Cached(key = "ids:{ids}")
    public String byIds(List<String> ids) {
      return "for " + ids.size() + " ids #" + runs.incrementAndGet();
    }

    @Cached(key = "arr:{ids}")
    public String byArray(long[] ids) {
      return "for " + ids.length + " ids #" + runs.incrementAndGet();
    }

    @Cached(key = "map")
    public Map<String, Object> jsonLike() {
      runs.incrementAndGet();
      return Map.of("a", 1, "b", List.of("x"));
    }
  }

  public static class ZeroWindows {
    private final AtomicInteger runs = new AtomicInteger();

    @Cached(key = "z", ttl = "1m", staleWhileRevalidate = "0s", staleIfError = "0s")
    public String value() {
      return "z #" + runs.incrementAndGet();
    }
  }

  interface Shape {}

  record Circle(double radius) implements Shape {}

  public static class ObjectValue {
    @Cached(key = "o")
    public Object value() {
      return new Circle(1);
    }
  }

  public static class InterfaceValue {
    @Cached(key = "s")
    public List<Shape> shapes() {
      return List.of(new Circle(1));
    }
  }

  public static class RawOptional {
    @SuppressWarnings("rawtypes")
    @Cached(key = "r")
    public Optional value() {
      return Optional.of("x");
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  @Test
  void anEntryWrittenForAnOlderShapeOfTheValueIsAMiss() {
    runner.withBean(Prices.class).run(context -> {
      Cachet cachet = context.getBean(Cachet.class);
      Prices prices = context.getBean(Prices.class);
      // What an older deploy, whose record had no currency (or another field name), stored.
      cachet.put("shape:a", new PriceV1("a", 1), JsonCodec.of(PriceV1.class), CachePolicy.ofTtl(Duration.ofMinutes(1)));
      cachet.put("renamed:a", new PriceV1("a", 1), JsonCodec.of(PriceV1.class), CachePolicy.ofTtl(Duration.ofMinutes(1)));
      assertThat(prices.v2("a")).isEqualTo(new PriceV2("a", 2, "EUR"));
      assertThat(prices.v3("a")).isEqualTo(new PriceV3("a", 3));
      assertThat(prices.runs()).isEqualTo(2);
      assertThat(prices.v2("a")).as("its own entries hit").isEqualTo(new PriceV2("a", 2, "EUR"));
      assertThat(prices.runs()).isEqualTo(2);
      assertThat(cachet.stats().corruptEntries()).isEqualTo(2);
    });
  }

  @Test
  void templateArgumentsThatPrintAlikeDoNotShareAKeyAndArraysHit() {
    runner.withBean(Prices.class).run(context -> {
      Prices prices = context.getBean(Prices.class);
      String two = prices.byIds(List.of("a", "b"));
      assertThat(prices.byIds(List.of("a, b"))).isNotEqualTo(two).startsWith("for 1 ids");
      assertThat(prices.byIds(List.of("a", "b"))).isEqualTo(two);
      String arr = prices.byArray(new long[] {1, 2});
      assertThat(prices.byArray(new long[] {1, 2})).as("an equal array hits").isEqualTo(arr);
      assertThat(prices.byArray(new long[] {1, 3})).isNotEqualTo(arr);
    });
  }

  @Test
  void aJsonLikeMapStillCaches() {
    runner.withBean(Prices.class).run(context -> {
      Prices prices = context.getBean(Prices.class);
      Map<String, Object> first = prices.jsonLike();
      assertThat(prices.jsonLike()).isEqualTo(first);
      assertThat(prices.runs()).isEqualTo(1);
    });
  }

  @Test
  void zeroStaleWindowsAreOffAsInCachePolicy() {
    runner.withBean(ZeroWindows.class).run(context -> {
      assertThat(context).hasNotFailed();
      ZeroWindows bean = context.getBean(ZeroWindows.class);
      assertThat(bean.value()).isEqualTo(bean.value());
    });
  }

  @Test
  void aValueTypeJsonCannotBeReadBackAsFailsTheStart() {
    runner.withBean(ObjectValue.class).run(context -> assertThat(context).getFailure()
        .rootCause().hasMessageContaining("ObjectValue.value").hasMessageContaining("concrete type"));
    runner.withBean(InterfaceValue.class).run(context -> assertThat(context).getFailure()
        .rootCause().hasMessageContaining("InterfaceValue.shapes").hasMessageContaining("@JsonTypeInfo"));
    runner.withBean(RawOptional.class).run(context -> assertThat(context).getFailure()
        .rootCause().hasMessageContaining("RawOptional.value"));
  }
}
