package dev.cachet.internal;

import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Wraps a {@link CacheStore} so that its failures become misses: every exception is counted,
 * logged at most once per interval, and answered with "nothing there".
 *
 * <p>Invalidations (version bumps and deletes) that fail are kept and replayed, in order, before
 * the store is read again; until they have all been applied this wrapper reads nothing from the
 * store, so an acknowledged invalidation is never undone by a store that was unreachable when it
 * was issued. Past {@value #MAX_PENDING} pending invalidations they collapse into one bump of the
 * namespace version. Thread-safe.
 */
public final class FailSafeStore {
  static final int MAX_PENDING = 10_000;

  private final CacheStore store;
  private final StatsCounter stats;
  private final RateLimitedLog log;
  private final Duration versionTtl;
  private final InvalidationBacklog backlog;
  /** The store's capabilities, read once: they are fixed ({@link CacheStore#capabilities}). */
  private final Set<StoreCapability> capabilities;

  public FailSafeStore(
      CacheStore store, StatsCounter stats, RateLimitedLog log, String namespaceVersionKey,
      Duration versionTtl) {
    this.store = store;
    this.stats = stats;
    this.log = log;
    this.versionTtl = versionTtl;
    this.capabilities = EnumSet.noneOf(StoreCapability.class);
    this.capabilities.addAll(store.capabilities());
    this.backlog =
        new InvalidationBacklog(
            MAX_PENDING,
            () -> store.setVersion(namespaceVersionKey, VersionStamps.newHard(), versionTtl),
            this::ready);
  }

  public CacheStore delegate() {
    return store;
  }

  /**
   * The name of the store that holds the entries, for messages: the primary behind a fallback
   * and circuit breaker ({@code MemcachedStore}, not {@code FallbackStore}).
   */
  public String storeName() {
    CacheStore s = store;
    for (int depth = 0; depth < 8; depth++) {
      if (s instanceof dev.cachet.store.FallbackStore f) {
        s = f.primary();
      } else if (s instanceof dev.cachet.store.CircuitBreakerStore c) {
        s = c.delegate();
      } else {
        break;
      }
    }
    return s.getClass().getSimpleName();
  }

  public boolean has(StoreCapability capability) {
    return capabilities.contains(capability);
  }

  /**
   * Whether entries stay in this process ({@link StoreCapability#IN_PROCESS}): written without a
   * checksum, which only entries read from such a store may lack.
   */
  public boolean inProcess() {
    return has(StoreCapability.IN_PROCESS);
  }

  private void failed(String operation, RuntimeException e) {
    stats.storeError();
    log.warn("Cachet store " + operation + " failed; serving without the cache", e);
  }

  /** Applies pending invalidations; true when none remain and the store may be read. */
  public boolean ready() {
    if (backlog.isEmpty()) {
      return true;
    }
    try {
      backlog.drain();
      return true;
    } catch (RuntimeException e) {
      failed("replay of pending invalidations", e);
      return false;
    }
  }

  /** Stops retrying pending invalidations in the background. */
  public void close() {
    backlog.close();
  }

  /** Number of invalidations waiting for the store to come back. */
  public int pendingInvalidations() {
    return backlog.size();
  }

  public byte @Nullable [] get(String key) {
    if (!ready()) {
      return null;
    }
    try {
      return store.get(key);
    } catch (RuntimeException e) {
      failed("get", e);
      return null;
    }
  }

  public void put(String key, byte[] value, Duration ttl) {
    if (!ready()) {
      return;
    }
    try {
      store.put(key, value, ttl);
    } catch (RuntimeException e) {
      failed("put", e);
    }
  }

  /** Reads versions; {@code null} when they cannot be read (callers then trust nothing). */
  public long @Nullable [] getVersions(List<String> keys) {
    if (!ready()) {
      return null;
    }
    try {
      return store.getVersions(keys);
    } catch (RuntimeException e) {
      failed("version read", e);
      return null;
    }
  }

  /**
   * Reads an entry with the versions it most likely recorded; nothing (a miss) when the store
   * fails or is not ready.
   */
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    if (!ready()) {
      return EntryAndVersions.none();
    }
    try {
      return store.getWithVersions(key, versionKeys);
    } catch (RuntimeException e) {
      failed("get", e);
      return EntryAndVersions.none();
    }
  }

  /** {@link CacheStore#getAuthoritative}, failing as {@link #getWithVersions} does. */
  public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    if (!ready()) {
      return EntryAndVersions.none();
    }
    try {
      return store.getAuthoritative(key, versionKeys);
    } catch (RuntimeException e) {
      failed("get", e);
      return EntryAndVersions.none();
    }
  }

  /** Returns the version now stored, or {@code 0} when the store failed. */
  public long setVersionIfAbsent(String key, long version) {
    try {
      return store.setVersionIfAbsent(key, version, versionTtl);
    } catch (RuntimeException e) {
      failed("version init", e);
      return 0;
    }
  }

  /** Sets a version now, or later if the store is unreachable. */
  public void setVersionDurably(String key, long version) {
    durably(key, () -> store.setVersion(key, version, versionTtl), "invalidation");
  }

  /** Deletes a key now, or later if the store is unreachable; true when deleted now. */
  public boolean deleteDurably(String key) {
    boolean[] deleted = new boolean[1];
    durably(key, () -> deleted[0] = store.delete(key), "delete");
    return deleted[0];
  }

  private void durably(String key, Runnable invalidation, String operation) {
    if (ready()) {
      try {
        invalidation.run();
        return;
      } catch (RuntimeException e) {
        failed(operation, e);
      }
    }
    backlog.add(key, invalidation);
  }

  /** Calls {@code action} on the store, mapping a failure to {@code fallback}. */
  public <T> T call(String operation, java.util.function.Supplier<T> action, T fallback) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      failed(operation, e);
      return fallback;
    }
  }

  /** Stamps for versions: random non-zero hard versions; soft versions carry their time. */
  public static final class VersionStamps {
    private VersionStamps() {}

    public static long newHard() {
      long v;
      do {
        v = ThreadLocalRandom.current().nextLong();
      } while (v == 0);
      return v;
    }

    /** A soft version: milliseconds in the high 52 bits, 12 random bits below. */
    public static long newSoft(long nowMillis) {
      return (nowMillis << 12) | (ThreadLocalRandom.current().nextInt(4095) + 1);
    }

    public static long softMillis(long softVersion) {
      return softVersion >>> 12;
    }
  }
}
