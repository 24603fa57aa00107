package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code @Cached} value type that JSON cannot hold, or cannot read back as what the method
 * returned, fails the start with a message naming the method and the type, instead of running
 * uncached (or failing) at every call.
 */
class ValueTypeChecksTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  record Item(String sku, int qty) {}

  public static class StreamValue {
    @Cached(ttl = "5m")
    public Stream<Item> items() {
      return Stream.of(new Item("a", 1));
    }
  }

  public static class IteratorValue {
    @Cached(ttl = "5m")
    public Iterator<Item> items() {
      return List.of(new Item("a", 1)).iterator();
    }
  }

  public static class IterableValue {
    @Cached(ttl = "5m")
    public Iterable<Item> items() {
      return List.of(new Item("a", 1));
    }
  }

  public static class FutureValue {
    @Cached(ttl = "5m")
    public Future<Item> item() {
      return java.util.concurrent.CompletableFuture.completedFuture(new Item("a", 1));
    }
  }

  public static class SupplierValue {
    @Cached(ttl = "5m")
    public Supplier<String> item() {
      return () -> "a";
    }
  }

  public static class NumberValue {
    @Cached(ttl = "5m")
    public Number amount() {
      return new java.math.BigDecimal("0.1");
    }
  }

  public static class CharSequenceInAList {
    @Cached(ttl = "5m")
    public List<CharSequence> names() {
      return List.of(new StringBuilder("sb"));
    }
  }

  public static class StreamInAMap {
    @Cached(ttl = "5m")
    public Map<String, Stream<Item>> items() {
      return Map.of();
    }
  }

  private void failsNaming(Class<?> bean, String method, String type) {
    runner.withBean(bean).run(context -> assertThat(context).hasFailed().getFailure().rootCause()
        .hasMessageContaining(bean.getSimpleName() + "." + method).hasMessageContaining(type));
  }

  @Test
  void javaTypesThatAreNotDataFailTheStart() {
    failsNaming(StreamValue.class, "items", "java.util.stream.Stream");
    failsNaming(IteratorValue.class, "items", "java.util.Iterator");
    failsNaming(IterableValue.class, "items", "java.lang.Iterable");
    failsNaming(FutureValue.class, "item", "java.util.concurrent.Future");
    failsNaming(SupplierValue.class, "item", "java.util.function.Supplier");
    failsNaming(StreamInAMap.class, "items", "java.util.stream.Stream");
  }

  @Test
  void abstractJavaTypesJsonReadsBackAsAnotherClassFailTheStart() {
    failsNaming(NumberValue.class, "amount", "java.lang.Number");
    failsNaming(CharSequenceInAList.class, "names", "java.lang.CharSequence");
  }
}
