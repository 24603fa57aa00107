package dev.cachet.store;

/** An optional operation that a {@link CacheStore} may or may not support. */
public enum StoreCapability {
  /** Listing keys and deleting keys by a glob pattern ({@link CacheStore#scan}). */
  PATTERN_SCAN,
  /** Short-lived locks shared by every process that uses the store ({@link CacheStore#tryLock}). */
  DISTRIBUTED_LOCK,
  /** Entries are visible to other processes (a shared, remote store). */
  SHARED,
  /**
   * Entries never leave this process's memory: {@code get} returns the very bytes {@code put}
   * was given. Cachet then writes entries without a checksum and reads them without verifying
   * one (a pass over every value on every read and write). Only for stores that hold the arrays
   * themselves in this JVM; never for one that copies them anywhere (disk, network, off-heap).
   */
  IN_PROCESS
}
