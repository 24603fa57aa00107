package dev.cachet.internal;

import dev.cachet.CachePolicy;
import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.FallbackStore;
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
 * namespace version. A store whose data may come back from an older incarnation (a restart from
 * a snapshot, a failover) is read only once its current incarnation has been validated for the
 * namespace, and a read across a change of incarnation is a miss ({@link IncarnationCheck}).
 * Thread-safe.
 */
public final class FailSafeStore {
  static final int MAX_PENDING = 10_000;

  private final CacheStore store;
  private final StatsCounter stats;
  private final RateLimitedLog log;
  private final Duration versionTtl;
  /** Never expires: its loss would invalidate the whole namespace at once, on every instance. */
  private final String namespaceVersionKey;
  private final InvalidationBacklog backlog;
  private final IncarnationCheck incarnation;
  /** The store's capabilities, read once: they are fixed ({@link CacheStore#capabilities}). */
  private final Set<StoreCapability> capabilities;

  /**
   * @param incarnationKey where the namespace records the store incarnation it was validated
   *     against ({@link IncarnationCheck})
   */
  public FailSafeStore(
      CacheStore store, StatsCounter stats, RateLimitedLog log, String namespaceVersionKey,
      String incarnationKey, Duration versionTtl) {
    this.store = store;
    this.incarnation = new IncarnationCheck(store, incarnationKey, namespaceVersionKey);
    this.stats = stats;
    this.log = log;
    this.versionTtl = versionTtl;
    this.namespaceVersionKey = namespaceVersionKey;
    this.capabilities = EnumSet.noneOf(StoreCapability.class);
    this.capabilities.addAll(store.capabilities());
    this.backlog =
        new InvalidationBacklog(
            MAX_PENDING,
            () -> store.setVersion(namespaceVersionKey, VersionStamps.newHard(), CachePolicy.MAX_DURATION),
            this::ready);
    FallbackStore fallback = fallbackIn(store);
    if (fallback != null) {
      // Its primary's failures never reach this wrapper: they are counted and logged here anyway.
      fallback.addPrimaryFailureListener(e -> {
        stats.storeError();
        log.warn("Cachet's primary store failed; its fallback store answers until it is back", e);
      });
    }
  }

  /** The {@link FallbackStore} {@code store} is or wraps, if any. */
  private static @Nullable FallbackStore fallbackIn(CacheStore store) {
    for (CacheStore layer : layers(store)) {
      if (layer instanceof FallbackStore f) {
        return f;
      }
    }
    return null;
  }

  /**
   * {@code store}, then each store it wraps, outermost first: behind a fallback its primary,
   * behind a circuit breaker its delegate (at most 8 deep).
   */
  private static List<CacheStore> layers(CacheStore store) {
    List<CacheStore> layers = new java.util.ArrayList<>(4);
    CacheStore s = store;
    layers.add(s);
    for (int depth = 0; depth < 8; depth++) {
      if (s instanceof FallbackStore f) {
        s = f.primary();
      } else if (s instanceof dev.cachet.store.CircuitBreakerStore c) {
        s = c.delegate();
      } else {
        break;
      }
      layers.add(s);
    }
    return layers;
  }

  public CacheStore delegate() {
    return store;
  }

  /**
   * The name of the store that holds the entries, for messages: the primary behind a fallback
   * and circuit breaker ({@code MemcachedStore}, not {@code FallbackStore}).
   */
  public String storeName() {
    List<CacheStore> layers = layers(store);
    return layers.get(layers.size() - 1).getClass().getSimpleName();
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

  /**
   * Applies pending invalidations and validates a new store incarnation; true when none remain,
   * the incarnation is validated, and the store may be read.
   */
  public boolean ready() {
    if (!backlog.isEmpty()) {
      try {
        backlog.drain();
      } catch (RuntimeException e) {
        failed("replay of pending invalidations", e);
        return false;
      }
    }
    try {
      return incarnation.validate();
    } catch (RuntimeException e) {
      failed("check of the store's incarnation", e);
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
      byte[] value = store.get(key);
      return incarnation.stillValid() ? value : null;
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
      long[] versions = store.getVersions(keys);
      return incarnation.stillValid() ? versions : null;
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
      EntryAndVersions read = store.getWithVersions(key, versionKeys);
      return incarnation.stillValid() ? read : EntryAndVersions.none();
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
      EntryAndVersions read = store.getAuthoritative(key, versionKeys);
      return incarnation.stillValid() ? read : EntryAndVersions.none();
    } catch (RuntimeException e) {
      failed("get", e);
      return EntryAndVersions.none();
    }
  }

  /** Returns the version now stored, or {@code 0} when the store failed. */
  public long setVersionIfAbsent(String key, long version) {
    try {
      return store.setVersionIfAbsent(key, version, ttlOf(key));
    } catch (RuntimeException e) {
      failed("version init", e);
      return 0;
    }
  }

  /**
   * {@link #setVersionIfAbsent} for several tag versions (never the namespace's), sent together;
   * zeros where the store cannot say.
   */
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions) {
    try {
      return store.setVersionsIfAbsent(keys, versions, versionTtl);
    } catch (RuntimeException e) {
      failed("version init", e);
      return new long[keys.size()];
    }
  }

  /** Sets a version now, or later if the store is unreachable. */
  public void setVersionDurably(String key, long version) {
    durably(key, () -> store.setVersion(key, version, ttlOf(key)), "invalidation");
  }

  /** How long the version under {@code key} is kept: the namespace's for good (unless evicted). */
  private Duration ttlOf(String key) {
    return key.equals(namespaceVersionKey) ? CachePolicy.MAX_DURATION : versionTtl;
  }

  /** Keeps the versions under {@code keys} for the version TTL from now; failures are counted. */
  public void touchVersions(List<String> keys) {
    try {
      store.touchVersions(keys, versionTtl);
    } catch (RuntimeException e) {
      failed("version touch", e);
    }
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

    /** A hard version for an invalidation (a bump): random, even. */
    public static long newHard() {
      long v;
      do {
        v = ThreadLocalRandom.current().nextLong() & ~1L;
      } while (v == 0);
      return v;
    }

    /**
     * A hard version for a key created because it was absent (not an invalidation): random, odd,
     * so that a load that finds one made by another load since its capture may take it, where
     * it must not take a bump ({@link #isCreation}).
     */
    public static long newHardCreation() {
      return ThreadLocalRandom.current().nextLong() | 1L;
    }

    /**
     * Whether {@code version}, found where a load captured none, was made by a creation (a hard
     * version's odd stamp, a soft baseline) rather than by an invalidation.
     */
    public static boolean isCreation(long version, boolean hard) {
      return hard ? (version & 1L) == 1L : version < 0;
    }

    /** A soft version: milliseconds in the high 52 bits, 12 random bits below. */
    public static long newSoft(long nowMillis) {
      return (nowMillis << 12) | (ThreadLocalRandom.current().nextInt(4095) + 1);
    }

    /**
     * The soft version of a tag never soft-purged since it was created: negative (a purge's
     * stamp is positive) with 63 random bits, so that one made again after the first was lost
     * never equals it.
     */
    public static long newSoftBaseline() {
      long v;
      do {
        v = ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE;
      } while (v == Long.MIN_VALUE);
      return v;
    }

    /** Whether {@code softVersion} is a purge's stamp (not absent, not a baseline). */
    public static boolean isPurge(long softVersion) {
      return softVersion > 0;
    }

    public static long softMillis(long softVersion) {
      return softVersion >>> 12;
    }
  }
}
