package dev.cachet;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value an {@link EntryLoader} produced, and whether it may be stored.
 *
 * <p>Concurrent callers waiting for the same key share a cacheable value; an uncacheable one is
 * private to the caller whose loader produced it, so each waiter then runs its own loader.
 *
 * @param value the value; {@code null} is never cached
 * @param cacheable whether the value may be stored and shared
 * @param policy the policy to store it with, or {@code null} for the caller's
 * @param <V> the value type
 */
public record Loaded<V>(@Nullable V value, boolean cacheable, @Nullable CachePolicy policy) {

  /** A value to store with the caller's policy. */
  public static <V> Loaded<V> of(@Nullable V value) {
    return new Loaded<>(value, true, null);
  }

  /** A value to store with {@code policy} instead of the caller's. */
  public static <V> Loaded<V> of(@Nullable V value, CachePolicy policy) {
    return new Loaded<>(value, true, Objects.requireNonNull(policy, "policy"));
  }

  /** A value to hand to this caller only, never stored nor shared. */
  public static <V> Loaded<V> uncacheable(@Nullable V value) {
    return new Loaded<>(value, false, null);
  }
}
