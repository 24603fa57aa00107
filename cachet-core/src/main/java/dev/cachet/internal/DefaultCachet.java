package dev.cachet.internal;

import dev.cachet.AsyncCacheLoader;
import dev.cachet.AsyncEntryLoader;
import dev.cachet.CacheLoader;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.CacheStats;
import dev.cachet.Cachet;
import dev.cachet.Codec;
import dev.cachet.EntryLoader;
import dev.cachet.KeyPage;
import dev.cachet.Loaded;
import dev.cachet.PatternDeletion;
import dev.cachet.StaleRefresh;
import dev.cachet.store.CacheStore;
import dev.cachet.store.StoreCapability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The {@link Cachet} implementation: lookups, then {@link ReadThrough} on a miss. */
public final class DefaultCachet implements Cachet {
  private final CacheStore rawStore;
  private final boolean ownsStore;
  private final FailSafeStore store;
  private final KeyMapper keys;
  private final String namespace;
  private final VersionGuard versions;
  private final StatsCounter stats;
  private final Clock clock;
  private final CachePolicy defaultPolicy;
  private final ReadThrough readThrough;
  private final Flights flights = new Flights();
  private final EntryReader reader;
  private final PatternDeleter patterns;
  private final KeyLister lister;
  private final @Nullable ExecutorService ownedExecutor;

  public DefaultCachet(
      CacheStore store, boolean ownsStore, String namespace, Clock clock, CachePolicy defaultPolicy,
      Duration maxWait, Duration versionTtl, Duration errorLogInterval,
      @Nullable Executor refreshExecutor) {
    this.rawStore = store;
    this.ownsStore = ownsStore;
    this.keys = new KeyMapper(namespace);
    this.namespace = namespace;
    this.stats = new StatsCounter(store::evictionCount, clock);
    this.store =
        new FailSafeStore(
            store, stats, new RateLimitedLog(clock, errorLogInterval), keys.namespaceVersionKey(),
            keys.incarnationKey(), versionTtl);
    this.versions = new VersionGuard(this.store, keys, clock, versionTtl);
    this.clock = clock;
    this.defaultPolicy = defaultPolicy;
    this.ownedExecutor = refreshExecutor == null ? newRefreshPool() : null;
    Executor executor = refreshExecutor != null ? refreshExecutor : ownedExecutor;
    this.reader = new EntryReader(this.store, versions, stats);
    this.readThrough =
        new ReadThrough(
            this.store, keys, versions, stats, clock, maxWait, Objects.requireNonNull(executor),
            reader, flights);
    this.patterns = new PatternDeleter(this.store, keys, versions::invalidateNamespace);
    this.lister = new KeyLister(this.store, keys, versions, clock);
  }

  private static ExecutorService newRefreshPool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
            r -> {
              Thread t = new Thread(r, "cachet-refresh");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public <V> @Nullable V get(
      String key, Codec<V> codec, CachePolicy policy, CacheLoader<? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    return fetch(key, codec, policy, () -> Loaded.<V>of(loader.load())).value();
  }

  @Override
  public <V> @Nullable V get(String key, Codec<V> codec, CacheLoader<? extends V> loader) {
    return get(key, codec, defaultPolicy, loader);
  }

  @Override
  public <V> CacheResult<V> fetch(
      String key, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader) {
    checkArgs(key, codec, policy);
    Objects.requireNonNull(loader, "loader");
    String storeKey = keys.entryKey(key);
    long finishedLoads = flights.ended();
    EntryReader.Servable<V> found = reader.read(storeKey, key, codec, clock.millis(), policy.tags(), false);
    CacheResult<V> served = served(key, storeKey, codec, policy, found, loader, null);
    if (served != null) {
      return served;
    }
    return readThrough.load(key, storeKey, codec, policy, loader, found, finishedLoads);
  }

  @Override
  public <V> CompletableFuture<CacheResult<V>> fetchAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader) {
    checkArgs(key, codec, policy);
    Objects.requireNonNull(loader, "loader");
    String storeKey = keys.entryKey(key);
    long finishedLoads = flights.ended();
    if (loader.reloads()) {
      // As a miss, with no entry to fall back on: the entry stays until the new value replaces it.
      return readThrough.loadLater(key, storeKey, codec, policy, loader, null, finishedLoads, clock.millis());
    }
    EntryReader.Servable<V> found = reader.read(storeKey, key, codec, clock.millis(), policy.tags(), false);
    if (found != null && found.revalidatable()) {
      StaleRefresh refresh = Objects.requireNonNull(loader.staleRefresh(), "staleRefresh() returned null");
      if (refresh == StaleRefresh.FOREGROUND) {
        return readThrough.refreshLater(key, storeKey, codec, policy, loader, found, finishedLoads);
      }
      if (refresh == StaleRefresh.NONE) {
        stats.staleHit();
        return CompletableFuture.completedFuture(found.result(Status.STALE));
      }
    }
    CacheResult<V> served = served(key, storeKey, codec, policy, found, null, loader);
    if (served != null) {
      return CompletableFuture.completedFuture(served);
    }
    return readThrough.loadLater(key, storeKey, codec, policy, loader, found, finishedLoads);
  }

  @Override
  public <V> CompletableFuture<@Nullable V> getAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncCacheLoader<? extends V> loader) {
    checkArgs(key, codec, policy);
    Objects.requireNonNull(loader, "loader");
    String storeKey = keys.entryKey(key);
    long finishedLoads = flights.ended();
    EntryReader.Servable<V> found = reader.read(storeKey, key, codec, clock.millis(), policy.tags(), false);
    EntryLoader<V> blocking = () -> Loaded.<V>of(loader.load().join());
    CacheResult<V> served = served(key, storeKey, codec, policy, found, blocking, null);
    if (served != null) {
      return CompletableFuture.completedFuture(served.value());
    }
    return readThrough.loadAsync(key, storeKey, codec, policy, loader, found, finishedLoads);
  }

  /**
   * What the entry {@code found} serves: a fresh hit (refreshed ahead once due), a stale hit
   * while a refresh runs in the background, or {@code null} for a miss. Counts which. A refresh
   * runs {@code refresh}, or else waits for {@code later} (made into a loader only then: a hit
   * allocates nothing for it).
   */
  private <V> @Nullable CacheResult<V> served(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      EntryReader.@Nullable Servable<V> found, @Nullable EntryLoader<V> refresh,
      @Nullable AsyncEntryLoader<V> later) {
    if (found == null || !(found.fresh() || found.revalidatable())) {
      stats.miss();
      return null;
    }
    boolean fresh = found.fresh();
    if (fresh) {
      stats.hit();
    } else {
      stats.staleHit();
    }
    if (!fresh || found.now() >= found.entry().refreshAt()) {
      EntryLoader<V> loader = refresh != null ? refresh : readThrough.waitingFor(Objects.requireNonNull(later));
      readThrough.refreshInBackground(key, storeKey, codec, policy, loader, found.entry().createdAt());
    }
    return found.result(fresh ? Status.HIT : Status.STALE);
  }

  @Override
  public <V> @Nullable V getIfPresent(String key, Codec<V> codec) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(codec, "codec");
    EntryReader.Servable<V> found = reader.read(keys.entryKey(key), key, codec, clock.millis());
    return found != null && found.fresh() ? found.value() : null;
  }

  @Override
  public <V> @Nullable CacheResult<V> peek(String key, Codec<V> codec) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(codec, "codec");
    EntryReader.Servable<V> found = reader.read(keys.entryKey(key), key, codec, clock.millis());
    if (found == null) {
      return null;
    }
    if (found.fresh()) {
      return found.result(Status.HIT);
    }
    return found.revalidatable() ? found.result(Status.STALE) : null;
  }

  @Override
  public <V> void put(String key, V value, Codec<V> codec, CachePolicy policy) {
    checkArgs(key, codec, policy);
    Objects.requireNonNull(value, "value");
    readThrough.put(key, keys.entryKey(key), value, codec, policy);
  }

  @Override
  public boolean exists(String key) {
    Objects.requireNonNull(key, "key");
    return getIfPresent(key, dev.cachet.Codecs.bytes()) != null;
  }

  @Override
  public boolean delete(String key) {
    Objects.requireNonNull(key, "key");
    stats.invalidation();
    String storeKey = keys.entryKey(key);
    flights.poison(storeKey);
    return store.deleteDurably(storeKey);
  }

  @Override
  public long deleteByPattern(String pattern) {
    return deleteByPatternReporting(pattern).deleted();
  }

  @Override
  public PatternDeletion deleteByPatternReporting(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    GlobPattern glob = GlobPattern.compile(pattern);
    patterns.requireScan();
    stats.invalidation();
    // Before the scan, and whatever it finds: a load of a key not stored yet may be reading the
    // data the caller just changed (as delete(key) does).
    flights.poisonMatching(glob::matches);
    PatternDeleter.Outcome outcome = patterns.delete(glob);
    return new PatternDeletion(outcome.deleted().size(), outcome.namespaceInvalidated());
  }

  @Override
  public int pendingInvalidations() {
    return store.pendingInvalidations();
  }

  @Override
  public long invalidatePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return deleteByPattern(GlobPattern.escape(prefix) + "*");
  }

  @Override
  public void clear() {
    stats.invalidation();
    flights.poisonAll();
    versions.invalidateNamespace();
  }

  @Override
  public void invalidateTags(Collection<String> tags) {
    checkTags(tags);
    stats.invalidation();
    versions.invalidate(tags);
  }

  @Override
  public void softInvalidateTags(Collection<String> tags) {
    checkTags(tags);
    stats.invalidation();
    versions.softInvalidate(tags, clock.millis());
  }

  @Override
  public KeyPage keys(String pattern, @Nullable String cursor, int limit) {
    Objects.requireNonNull(pattern, "pattern");
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be in [1, 1000]: " + limit);
    }
    return lister.list(GlobPattern.compile(pattern), cursor, limit);
  }

  @Override
  public CacheStats stats() {
    return stats.snapshot();
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return rawStore.capabilities();
  }

  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    store.close();
    if (ownsStore) {
      rawStore.close();
    }
  }

  /** The age of a value stored at {@code storedAt}, by this cache's clock. */
  public Duration age(Instant storedAt) {
    return Duration.between(storedAt, clock.instant());
  }

  private static void checkArgs(String key, Codec<?> codec, CachePolicy policy) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(policy, "policy");
  }

  private static void checkTags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags");
    for (String tag : tags) {
      if (Objects.requireNonNull(tag, "tag").isEmpty()) {
        throw new IllegalArgumentException("tags must not be empty strings");
      }
    }
  }
}
