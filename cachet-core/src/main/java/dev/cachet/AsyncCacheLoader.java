package dev.cachet;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Computes a value on a miss without blocking the caller.
 *
 * <p>A future completed with {@code null} is returned to the caller and not cached; a loader that
 * returns {@code null} instead of a future fails that call's future with a
 * {@link NullPointerException}. Called on the calling thread or, for a background refresh, on the
 * refresh executor (which then waits for the future), and possibly on several threads at once.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncCacheLoader<V> {
  CompletableFuture<? extends @Nullable V> load();
}
