package dev.cachet;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Computes a value on a miss without blocking the caller.
 *
 * <p>A future completed with {@code null} is returned to the caller and not cached.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncCacheLoader<V> {
  CompletableFuture<? extends @Nullable V> load();
}
