package dev.cachet.spring.internal;

import dev.cachet.Cachet;
import dev.cachet.store.UnsupportedCapabilityException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Applies rendered invalidations to a {@link Cachet}. Thread-safe. */
public final class InvalidationApplier {
  private static final Logger LOG = System.getLogger(InvalidationApplier.class.getName());

  private InvalidationApplier() {}

  public static void apply(Cachet cachet, RenderedInvalidation rendered) {
    if (!rendered.tags().isEmpty()) {
      cachet.invalidateTags(rendered.tags());
    }
    for (String key : rendered.keys()) {
      cachet.delete(key);
    }
    for (String pattern : rendered.patterns()) {
      try {
        cachet.deleteByPattern(pattern);
      } catch (UnsupportedCapabilityException e) {
        LOG.log(Level.WARNING, "pattern invalidation '" + pattern + "' skipped: " + e.getMessage());
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
