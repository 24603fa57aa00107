package dev.cachet.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A byte-level key-value store that Cachet keeps entries and version stamps in.
 *
 * <p>Keys passed in are already namespaced and limited to printable ASCII without spaces (at most
 * 300 characters); values are opaque bytes. A store does not interpret either. An array handed to
 * {@link #put} or returned by {@link #get} is never modified afterwards, by Cachet or by the store,
 * so a store may keep the array it was given and return it as it is (the memory store does): hits
 * then copy nothing, and a decoded value may stay a view of those bytes. Versions are 64-bit
 * stamps kept beside the entries; {@code 0} means absent. Losing a version (eviction, restart) is
 * safe: Cachet reads a lost version as a change and treats the entries it guarded as invalid.
 *
 * <p>Implementations are thread-safe. Any method may throw a {@link RuntimeException} when the
 * store is unreachable; Cachet turns it into a miss and never passes it to its callers. Optional
 * operations throw {@link UnsupportedCapabilityException} unless {@link #capabilities()} lists
 * them.
 */
public interface CacheStore extends AutoCloseable {

  /** Returns the bytes stored under {@code key}, or {@code null} when there are none. */
  byte @Nullable [] get(String key);

  /** Stores {@code value} under {@code key} for {@code ttl} (always positive), replacing any value. */
  void put(String key, byte[] value, Duration ttl);

  /** Removes {@code key}; returns whether something was removed. */
  boolean delete(String key);

  /**
   * Reads the versions stored under {@code keys}, in the same order; {@code 0} where absent.
   *
   * <p>Called on every cache hit that carries tags, so stores should answer it in one round trip.
   */
  long[] getVersions(List<String> keys);

  /**
   * Reads the entry under {@code key} and, with it, the versions under {@code versionKeys}: the
   * versions the entry most likely recorded, so that a remote store can answer a tagged hit in one
   * round trip instead of two. Cachet calls it only on stores listing {@link StoreCapability#SHARED}
   * and checks that the entry really recorded these keys; otherwise it reads the right ones.
   *
   * <p>The default reads the entry, then the versions only when there is an entry. Remote stores
   * override it to send both requests before waiting for either.
   */
  default EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    byte[] entry = get(key);
    return entry == null ? EntryAndVersions.none() : new EntryAndVersions(entry, getVersions(versionKeys));
  }

  /**
   * As {@link #getWithVersions}, but read from the store itself, bypassing any copy this process
   * keeps of it (a store with such a copy refreshes it from what it read). Cachet calls it once,
   * before counting a miss, when {@code getWithVersions} answered from a local copy
   * ({@link EntryAndVersions#fromLocalCopy()}) with no entry or one that is not fresh: another
   * process may have written a newer entry that the copy has not heard of yet.
   *
   * <p>The default is {@link #getWithVersions}: a store without local copies has nothing to
   * bypass. Stores that wrap another delegate it.
   */
  default EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    return getWithVersions(key, versionKeys);
  }

  /** Sets the version under {@code key} to {@code version} (non-zero), kept at least {@code ttl}. */
  void setVersion(String key, long version, Duration ttl);

  /**
   * Sets the version under {@code key} unless one exists; returns the version now stored (the
   * existing one or {@code version}).
   */
  long setVersionIfAbsent(String key, long version, Duration ttl);

  /**
   * The optional operations this store supports. Fixed for the store's lifetime: Cachet reads it
   * once, when a cache is built over the store.
   */
  Set<StoreCapability> capabilities();

  /**
   * Lists the store keys matching the glob {@code pattern} ({@code *}, {@code ?}, {@code [..]}
   * and backslash escapes, as Redis's {@code MATCH}), a page at a time.
   *
   * @param cursor {@code null} for the first page, else a {@link ScanPage#nextCursor()}
   * @param count a hint of how many keys one page should examine
   * @throws UnsupportedCapabilityException unless {@link StoreCapability#PATTERN_SCAN} is listed
   */
  default ScanPage scan(String pattern, @Nullable String cursor, int count) {
    throw new UnsupportedCapabilityException(
        StoreCapability.PATTERN_SCAN,
        getClass().getSimpleName()
            + " cannot list keys by pattern; invalidate by tag instead (tags work on every store)");
  }

  /**
   * Remaining time to live of {@code key}, or {@code null} when the key is absent or the store
   * cannot tell.
   */
  default @Nullable Duration ttl(String key) {
    return null;
  }

  /**
   * Takes the lock {@code key} for {@code lease} unless another holder has it.
   *
   * @throws UnsupportedCapabilityException unless {@link StoreCapability#DISTRIBUTED_LOCK} is listed
   */
  default boolean tryLock(String key, String token, Duration lease) {
    throw new UnsupportedCapabilityException(
        StoreCapability.DISTRIBUTED_LOCK, getClass().getSimpleName() + " has no shared locks");
  }

  /** Releases the lock {@code key} if {@code token} still holds it. */
  default void unlock(String key, String token) {
    throw new UnsupportedCapabilityException(
        StoreCapability.DISTRIBUTED_LOCK, getClass().getSimpleName() + " has no shared locks");
  }

  /** Number of entries the store evicted for size since it started; {@code 0} if unknown. */
  default long evictionCount() {
    return 0;
  }

  /** Releases connections and threads. Idempotent. */
  @Override
  default void close() {}
}
