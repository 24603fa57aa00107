package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Values of a {@code @JsonTypeInfo} type inside generic containers at the top of a
 * {@code @Cached} method's value keep their type ids, so they are cached and read back as the
 * classes the method returned, through the application's own {@code JsonMapper}.
 */
class PolymorphicValuesTest {
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  sealed interface Shape permits Circle, Square {}

  record Circle(double r) implements Shape {}

  record Square(double side) implements Shape {}

  record Page<T>(List<T> items, int number) {}

  public static class Shapes {
    private final AtomicInteger runs = new AtomicInteger();

    public int runs() {
      return runs.get();
    }

    @Cached(ttl = "5m")
    public List<Shape> list() {
      runs.incrementAndGet();
      return List.of(new Circle(1), new Square(2));
    }

    @Cached(ttl = "5m")
    public Map<String, Shape> map() {
      runs.incrementAndGet();
      return Map.of("c", new Circle(1), "s", new Square(2));
    }

    @Cached(ttl = "5m")
    public Page<Shape> page() {
      runs.incrementAndGet();
      return new Page<>(List.of(new Circle(1), new Square(2)), 0);
    }

    @Cached(ttl = "5m")
    public CompletableFuture<List<Shape>> future() {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(List.of(new Circle(1), new Square(2)));
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CachetAutoConfiguration.class))
      .withBean(Shapes.class);

  private static void runsOnceOverThreeCalls(Shapes shapes, Supplier<Object> call) {
    int before = shapes.runs();
    Object first = call.get();
    assertThat(call.get()).isEqualTo(first);
    assertThat(call.get()).isEqualTo(first);
    assertThat(shapes.runs() - before).isEqualTo(1);
  }

  @Test
  void polymorphicElementsOfGenericContainersAreCachedWithTheirTypes() {
    runner.run(context -> {
      Shapes shapes = context.getBean(Shapes.class);
      runsOnceOverThreeCalls(shapes, shapes::list);
      runsOnceOverThreeCalls(shapes, shapes::map);
      runsOnceOverThreeCalls(shapes, shapes::page);
      runsOnceOverThreeCalls(shapes, () -> shapes.future().join());
      assertThat(context.getBean(Cachet.class).stats().corruptEntries()).isZero();
    });
  }
}
