package dev.cachet.http;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one write invalidates, rendered: tags to invalidate, keys to delete, glob patterns whose
 * keys to delete. Computed and applied by an {@link Invalidator}. Immutable and thread-safe.
 *
 * @param tags tags, for {@link dev.cachet.Cachet#invalidateTags}
 * @param keys keys, for {@link dev.cachet.Cachet#delete}
 * @param patterns glob patterns, for {@link dev.cachet.Cachet#deleteByPattern}
 */
public record InvalidationPlan(Set<String> tags, Set<String> keys, Set<String> patterns) {
  private static final InvalidationPlan EMPTY = new InvalidationPlan(Set.of(), Set.of(), Set.of());

  public InvalidationPlan {
    // Ordered copies: the order things are invalidated in is the order they were declared.
    tags = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tags));
    keys = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(keys));
    patterns = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(patterns));
    for (Set<String> s : java.util.List.of(tags, keys, patterns)) {
      for (String item : s) {
        if (java.util.Objects.requireNonNull(item, "item").isEmpty()) {
          throw new IllegalArgumentException("tags, keys and patterns must not be empty strings");
        }
      }
    }
  }

  /** Nothing to invalidate. */
  public static InvalidationPlan empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return tags.isEmpty() && keys.isEmpty() && patterns.isEmpty();
  }
}
