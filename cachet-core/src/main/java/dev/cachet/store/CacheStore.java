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
 * safe: Cachet reads a lost version as a change and treats the entries it guarded as invalid. A
 * version that comes back older (a server restored from a snapshot) is not; a store where that
 * can happen says so through {@link #incarnation()}.
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
   * ({@link EntryAndVersions#fromLocalCopy()}) with an entry that is not fresh, and, in the
   * store lock's re-check only, with no entry: another process may have written a newer entry
   * that the copy has not heard of yet. On a plain read, the copy's word that there is no entry
   * is trusted, so that keys whose values are never stored cost no round trip.
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
   * {@link #setVersionIfAbsent} for each of {@code keys} with the version at the same index of
   * {@code versions}; returns the versions now stored, in the same order. Cachet calls it for the
   * versions a load finds absent (a tag's first load creates two per tag).
   *
   * <p>The default sets them one by one. Remote stores override it to send them together: one
   * round trip of latency. Stores that wrap another must delegate it.
   */
  default long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    long[] stored = new long[keys.size()];
    for (int i = 0; i < stored.length; i++) {
      stored[i] = setVersionIfAbsent(keys.get(i), versions[i], ttl);
    }
    return stored;
  }

  /**
   * Keeps each of the versions under {@code keys} that exists at least {@code ttl} from now, so
   * that a version in use does not expire (and invalidate every entry that recorded it) while
   * unused ones still do. Cachet calls it rarely: once per key and process per quarter of the
   * version TTL, on a load that reads the key.
   *
   * <p>The default does nothing, which suits stores whose versions do not expire by time (the
   * memory store). Stores that wrap another must delegate it.
   */
  default void touchVersions(List<String> keys, Duration ttl) {}

  /**
   * The optional operations this store supports. Fixed for the store's lifetime: Cachet reads it
   * once, when a cache is built over the store.
   */
  Set<StoreCapability> capabilities();

  /**
   * Lists the store keys matching the glob {@code pattern} ({@code *}, {@code ?}, {@code [..]}
   * and backslash escapes, as Redis's {@code MATCH}), a page at a time.
   *
   * <p>Every key present from the first page to the last, unchanged, is listed at least once;
   * a key may be listed twice. A store that cannot keep that promise for a scan (its keys moved
   * between its parts while the scan ran) says so by {@link IncompleteScanException}, at the
   * latest on the page that would have been the last.
   *
   * @param cursor {@code null} for the first page, else a {@link ScanPage#nextCursor()}
   * @param count a hint of how many keys one page should examine
   * @throws UnsupportedCapabilityException unless {@link StoreCapability#PATTERN_SCAN} is listed
   * @throws IncompleteScanException when the scan {@code cursor} belongs to cannot be completed
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

  /**
   * The incarnation of the data this store serves now, for stores whose data can come back from
   * before writes they acknowledged: a server restarted from a snapshot or an append-only file
   * written before them, or a replica promoted before it received them. {@code 0} (the default)
   * means the store cannot tell, or its data never comes back older (it is in this process, or
   * restarts empty), and Cachet checks nothing.
   *
   * <p>Any other value names what the store reads from now (say, a hash of its servers' run ids),
   * is the same in every process that reads the same data, and changes whenever that data may
   * have come back older. Cachet reads it before and after each read, so it must be a cheap read
   * of a field. When it changes, Cachet trusts nothing it reads until it has compared the new
   * value with the one each namespace recorded in the store ({@code <namespace>:i}) and, where
   * they differ, invalidated the namespace (a new {@code <namespace>:n}) and recorded the new
   * value: once per namespace and new incarnation, whichever process sees it first.
   *
   * <p>A store that returns non-zero values must not return from a read what it read from an
   * incarnation other than the one this method returned at some moment during that read: a read
   * that it cannot attribute (a connection made again, whose incarnation it has not learned yet)
   * fails instead. Stores that wrap another delegate it.
   */
  default long incarnation() {
    return 0;
  }

  /** Number of entries the store evicted for size since it started; {@code 0} if unknown. */
  default long evictionCount() {
    return 0;
  }

  /** Releases connections and threads. Idempotent. */
  @Override
  default void close() {}
}
