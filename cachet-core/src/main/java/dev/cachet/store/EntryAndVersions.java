package dev.cachet.store;

import org.jspecify.annotations.Nullable;

/**
 * An entry's bytes and the versions read with them by {@link CacheStore#getWithVersions}.
 *
 * @param entry the bytes under the entry key, or {@code null} when there are none
 * @param versions the versions under the requested version keys, in their order ({@code 0} where
 *     absent); {@code null} when the store did not read them (Cachet then reads them itself)
 */
public record EntryAndVersions(byte @Nullable [] entry, long @Nullable [] versions) {
  private static final EntryAndVersions NONE = new EntryAndVersions(null, null);

  /** Nothing under the key and no versions read. */
  public static EntryAndVersions none() {
    return NONE;
  }
}
