package dev.cachet;

/**
 * How a caller of {@link Cachet#fetchAsync} has a stale entry refreshed that it finds inside the
 * entry's stale-while-revalidate window: the answer of its loader's
 * {@link AsyncEntryLoader#staleRefresh()}.
 */
public enum StaleRefresh {
  /**
   * The stale value is returned at once, and one background refresh of the key (unless one
   * runs) calls a loader on the refresh executor and waits for its future: the default.
   */
  BACKGROUND,

  /**
   * The caller refreshes the entry itself, as it would load on a miss: with the versions captured
   * before its loader runs, as the key's single-flight that later misses join, its future
   * completing with the new value ({@link CacheResult.Status#MISS}) once it is written. While
   * another load of the key runs, the stale value is returned at once instead, and nothing else
   * starts. A load of the key that no thread runs (its loader's future has not completed) and
   * that began the builder's {@code maxWait} ago or earlier, by the cache's clock, is abandoned by
   * the next such caller, which refreshes in its place; the abandoned value is never written. A
   * failed refresh is answered with the stale value while the entry is inside its
   * stale-while-revalidate or stale-if-error window, as a background refresh's failure would be
   * (the failure reaches the caller only past both), and the entry stays as it was, so that a
   * later caller may refresh it again. For loaders that can only run on their
   * caller's thread (a request's handler that answers later).
   */
  FOREGROUND,

  /**
   * The stale value is returned at once and no refresh starts: for a caller that could not
   * produce a value worth storing (a {@code HEAD} request), where a background refresh could not
   * run either.
   */
  NONE
}
