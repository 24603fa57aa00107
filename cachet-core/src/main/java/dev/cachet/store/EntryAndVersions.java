package dev.cachet.store;

import org.jspecify.annotations.Nullable;

/**
 * An entry's bytes and the versions read with them by {@link CacheStore#getWithVersions}. The
 * arrays are not copied: neither the store nor Cachet modifies them once handed over.
 *
 * @param entry the bytes under the entry key, or {@code null} when there are none
 * @param versions the versions under the requested version keys, in their order ({@code 0} where
 *     absent); {@code null} when the store did not read them (Cachet then reads them itself)
 * @param fromLocalCopy whether the entry, or its absence, was answered from a copy this process
 *     keeps of a shared store (a near cache) rather than by that store itself. Such a copy may
 *     lag behind a change another process just made, so Cachet confirms a stale one (and, in the
 *     store lock's re-check, a missing one) with {@link CacheStore#getAuthoritative} before
 *     counting a miss.
 */
public record EntryAndVersions(
    byte @Nullable [] entry, long @Nullable [] versions, boolean fromLocalCopy) {
  private static final EntryAndVersions NONE = new EntryAndVersions(null, null, false);
  private static final EntryAndVersions NONE_LOCALLY = new EntryAndVersions(null, null, true);

  /** An answer from the store itself. */
  public EntryAndVersions(byte @Nullable [] entry, long @Nullable [] versions) {
    this(entry, versions, false);
  }

  /** Nothing under the key and no versions read. */
  public static EntryAndVersions none() {
    return NONE;
  }

  /** Nothing under the key, as far as a local copy knows; no versions read. */
  public static EntryAndVersions noneInLocalCopy() {
    return NONE_LOCALLY;
  }
}
