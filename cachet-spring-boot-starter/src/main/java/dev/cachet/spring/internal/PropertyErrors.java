package dev.cachet.spring.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Applies one configuration property to a builder so that a value the builder refuses fails the
 * start naming the property and its value ({@code cachet.memory.max-size=-1B: maximumBytes must
 * be positive: -1}), not only the builder's parameter. The builder keeps its own check. Stateless.
 */
public final class PropertyErrors {
  private PropertyErrors() {}

  /**
   * What {@code step} returns.
   *
   * @param property the property's name, e.g. {@code cachet.memory.max-size}
   * @param value its value as bound
   * @throws IllegalArgumentException when {@code step} throws one: its message preceded by
   *     {@code property=value: }, the builder's exception suppressed in it rather than its cause,
   *     so that the root cause of the start's failure (what Spring Boot reports last) names the
   *     property
   */
  public static <T> T naming(String property, @Nullable Object value, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      IllegalArgumentException named = new IllegalArgumentException(property + "=" + value + ": " + e.getMessage());
      named.addSuppressed(e);
      throw named;
    }
  }
}
