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

  interface Plain {}

  record Circle(double r) implements Plain {}

  record HolderOfInterface(String name, Plain plain) {}

  record WithObject(String name, Object data) {}

  record OrderId(long v) {}

  record Orders(Map<OrderId, Item> byId) {}

  public static class InterfaceInARecord {
    @Cached(ttl = "5m")
    public HolderOfInterface value() {
      return new HolderOfInterface("h", new Circle(1));
    }
  }

  public static class ObjectInARecord {
    @Cached(ttl = "5m")
    public List<WithObject> value() {
      return List.of(new WithObject("w", new Item("x", 1)));
    }
  }

  public static class RecordKeyedMap {
    @Cached(ttl = "5m")
    public Map<OrderId, Item> value() {
      return Map.of(new OrderId(7), new Item("x", 1));
    }
  }

  public static class RecordKeyedMapInARecord {
    @Cached(ttl = "5m")
    public Orders value() {
      return new Orders(Map.of(new OrderId(7), new Item("x", 1)));
    }
  }

  /** A bean-style class: its properties are its getters. */
  public static class Report {
    private final String title;
    private final Plain chart;

    public Report(String title, Plain chart) {
      this.title = title;
      this.chart = chart;
    }

    public String getTitle() {
      return title;
    }

    public Plain getChart() {
      return chart;
    }
  }

  public static class InterfaceBehindAGetter {
    @Cached(ttl = "5m")
    public Report value() {
      return new Report("r", new Circle(1));
    }
  }

  enum Status { OPEN, CLOSED }

  record Fine(Map<String, Object> attributes, Map<Long, Item> byNumber, Map<Status, List<Item>> byStatus,
      java.util.Optional<Item> first) {}

  public static class FineValues {
    @Cached(ttl = "5m")
    public Fine value() {
      return new Fine(Map.of(), Map.of(), Map.of(), java.util.Optional.empty());
    }
  }

  @Test
  void propertiesOfTheValueAreCheckedAtEveryDepth() {
    failsNaming(InterfaceInARecord.class, "value", "Plain");
    failsNaming(InterfaceInARecord.class, "value", "HolderOfInterface.plain");
    failsNaming(ObjectInARecord.class, "value", "WithObject.data");
    failsNaming(InterfaceBehindAGetter.class, "value", "Report.chart");
  }

  @Test
  void mapsWhoseKeysJsonCannotReadBackFailTheStart() {
    failsNaming(RecordKeyedMap.class, "value", "OrderId");
    failsNaming(RecordKeyedMapInARecord.class, "value", "Orders.byId");
  }

  @Test
  void jsonLikeMapsTextKeysEnumKeysAndOptionalsStart() {
    runner.withBean(FineValues.class).run(context -> assertThat(context).hasNotFailed());
  }
}
