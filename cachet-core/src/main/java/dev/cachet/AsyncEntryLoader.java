package dev.cachet;

import java.util.concurrent.CompletableFuture;

/**
 * Computes a value on a miss, possibly finishing after it returned, and decides whether it is
 * cached: the asynchronous form of {@link EntryLoader}, for {@link Cachet#fetchAsync}. The HTTP
 * layer uses it for handlers that answer after their request thread has moved on.
 *
 * <p>{@link #load} is called on the thread of the caller that missed, at most once per
 * in-process load of a key, but loads of several keys (or of one key in turn) may run at once on
 * several threads. Its future may complete on any thread; the value is written there.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncEntryLoader<V> {

  /**
   * Starts the load. A failed future, a future completed with {@code null}, or an exception
   * thrown here is a failed load.
   *
   * @return the value and whether it may be stored; never {@code null}
   */
  CompletableFuture<Loaded<V>> load() throws Exception;
}
