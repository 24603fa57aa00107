package dev.cachet.spring.internal;

import dev.cachet.Cachet;
import dev.cachet.http.Invalidator;
import dev.cachet.store.UnsupportedCapabilityException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/** Applies rendered invalidations to a {@link Cachet}. Thread-safe. */
public final class InvalidationApplier {
  private static final Logger LOG = System.getLogger(InvalidationApplier.class.getName());

  private InvalidationApplier() {}

  /**
   * Invalidates the rendered tags, deletes the rendered keys, and invalidates each key's
   * {@linkplain Invalidator#keyTag key tag} too: a {@code @CacheResponse(key = ...)} response is
   * stored under that key plus the request's origin and variant parts, which the tag reaches.
   */
  public static void apply(Cachet cachet, RenderedInvalidation rendered) {
    List<String> tags = new ArrayList<>(rendered.tags());
    for (String key : rendered.keys()) {
      tags.add(Invalidator.keyTag(key));
    }
    if (!tags.isEmpty()) {
      cachet.invalidateTags(tags);
    }
    for (String key : rendered.keys()) {
      cachet.delete(key);
    }
    for (String pattern : rendered.patterns()) {
      try {
        cachet.deleteByPattern(pattern);
      } catch (UnsupportedCapabilityException e) {
        // The store cannot find what the pattern names (Memcached): stale is worse than cold.
        LOG.log(Level.ERROR, "pattern invalidation '" + pattern + "' is not possible on this store ("
            + e.getMessage() + "); clearing the cache namespace instead, so that nothing stale is"
            + " served: declare tags instead of patterns");
        cachet.clear();
        return;
      }
    }
  }

  /** When what to invalidate cannot be worked out, the whole namespace goes: stale is worse. */
  static void applyConservatively(Cachet cachet, String where, RuntimeException why) {
    LOG.log(Level.ERROR, "cannot render the invalidation of " + where + " (" + why
        + "); clearing the cache namespace instead, so that nothing stale is served");
    cachet.clear();
  }
}
