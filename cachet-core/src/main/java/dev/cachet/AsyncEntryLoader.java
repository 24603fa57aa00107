package dev.cachet;

import java.util.concurrent.CompletableFuture;

/**
 * Computes a value on a miss, possibly finishing after it returned, and decides whether it is
 * cached: the asynchronous form of {@link EntryLoader}, for {@link Cachet#fetchAsync}. The HTTP
 * layer uses it for handlers that answer after their request thread has moved on.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncEntryLoader<V> {

  /**
   * Starts the load. A failed future, or an exception thrown here, is a failed load.
   *
   * @return the value and whether it may be stored; never {@code null}
   */
  CompletableFuture<Loaded<V>> load() throws Exception;
}
