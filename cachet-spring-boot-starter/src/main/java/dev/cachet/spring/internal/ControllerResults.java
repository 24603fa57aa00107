package dev.cachet.spring.internal;

import dev.cachet.http.Invalidator;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;

/**
 * What a controller's asynchronous result says about its write. A class of its own so that
 * Spring Web's types are loaded only for controllers, never in an application without them.
 * Stateless.
 */
final class ControllerResults {
  private ControllerResults() {}

  /**
   * Whether {@code value} is a {@link ResponseEntity} whose status says the write did not
   * {@linkplain Invalidator#succeeded succeed}: neither {@code 2xx} nor {@code 3xx}.
   */
  static boolean unsuccessful(@Nullable Object value) {
    return value instanceof ResponseEntity<?> entity && !Invalidator.succeeded(entity.getStatusCode().value());
  }
}
