package dev.cachet.store;

/** An optional operation that a {@link CacheStore} may or may not support. */
public enum StoreCapability {
  /** Listing keys and deleting keys by a glob pattern ({@link CacheStore#scan}). */
  PATTERN_SCAN,
  /** Short-lived locks shared by every process that uses the store ({@link CacheStore#tryLock}). */
  DISTRIBUTED_LOCK,
  /** Entries are visible to other processes (a shared, remote store). */
  SHARED
}
