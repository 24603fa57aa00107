package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitAware;
import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import io.lettuce.core.resource.NettyCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Cachet's store on Redis, through Lettuce: a standalone server (or a Sentinel-managed master) or
 * a Redis Cluster. Supports {@link StoreCapability#PATTERN_SCAN} ({@code SCAN}, never
 * {@code KEYS}), {@link StoreCapability#DISTRIBUTED_LOCK} and {@link StoreCapability#SHARED}.
 *
 * <pre>{@code
 * RedisStore redis = RedisStore.builder().uri("rediss://:secret@cache.internal:6379/0").build();
 * Cachet users = Cachet.builder().store(redis).namespace("users").build();
 * }</pre>
 *
 * <p><b>Failure behaviour.</b> Every command times out after the command timeout (250 ms by
 * default) and fails at once while the connection is down; after consecutive failures a built-in
 * {@link CircuitBreakerStore} opens and calls fail instantly with
 * {@link dev.cachet.store.StoreUnavailableException} until a probe succeeds. Methods throw these
 * runtime exceptions; Cachet reads them as misses. The connection is opened lazily: building
 * succeeds while Redis is down and a later call connects.
 *
 * <p><b>Near cache</b> (on by default, standalone or cluster; needs Redis 6 or later for RESP3
 * and {@code CLIENT TRACKING}). Entry bytes and versions read from Redis are kept in a
 * size-bounded local cache, kept coherent across instances by server-assisted client-side
 * caching; it is emptied when a connection drops and served only while every connection has
 * answered within the lease. On a cluster, tracking is acknowledged on every node connection
 * before the copy is used; a node connection that drops, or a topology change, empties it. See
 * the package documentation for the design and the data layout.
 *
 * <p>Thread-safe; one instance is meant to be shared by every {@code Cachet} of the process.
 * Arguments are never {@code null}. {@link #close()} closes connections and never deletes data.
 */
public final class RedisStore implements CacheStore, CircuitAware {
  /** The largest value {@link #put} sends: Redis's default {@code proto-max-bulk-len}, 512 MiB. */
  public static final int MAX_VALUE_BYTES = 512 * 1024 * 1024;
  private final CacheStore front;
  private final CircuitBreakerStore breaker;
  private final @Nullable NearCache nearCache;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastEvictionCount;

  RedisStore(Settings settings) {
    Connector connector;
    NearCache near =
        settings.nearCache()
            ? new NearCache(settings.nearCacheMaximumBytes(), settings.nearCacheLease(), settings.ticker())
            : null;
    this.nearCache = near;
    if (settings.cluster()) {
      connector = new ClusterConnector(settings, near == null ? null : new ClusterTracking(near));
    } else if (near != null) {
      connector = new StandaloneConnector(settings, near::attach);
    } else {
      connector = new StandaloneConnector(settings, c -> {});
    }
    this.breaker =
        CircuitBreakerStore.builder(new LettuceStore(connector, settings.commandTimeout(), settings.failureThreshold()))
            .failureThreshold(settings.failureThreshold())
            .openDuration(settings.openDuration())
            .clock(settings.clock())
            .build();
    this.front = nearCache == null ? breaker : new NearCachingStore(breaker, nearCache);
    try {
      connector.commands(); // connect now if Redis is up; if not, a later call connects
    } catch (RuntimeException e) {
      // The root cause says why (refused, a TLS handshake that failed, a wrong password).
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      System.getLogger("dev.cachet").log(System.Logger.Level.WARNING,
          "Cachet Redis store starts disconnected: " + e + (root == e ? "" : "; cause: " + root));
    }
  }

  /**
   * A builder; exactly one of {@link RedisStoreBuilder#uri} and {@link RedisStoreBuilder#cluster}
   * is required.
   */
  public static RedisStoreBuilder builder() {
    return new RedisStoreBuilder();
  }

  /**
   * The Netty customizer of the store's own Lettuce resources: the commands that concurrent
   * callers issue together leave in one socket write. For resources shared through
   * {@link RedisStoreBuilder#clientResources}, build them with it:
   * {@code DefaultClientResources.builder().nettyCustomizer(RedisStore.consolidatedFlushes())}.
   * Stateless and thread-safe.
   */
  public static NettyCustomizer consolidatedFlushes() {
    return LettuceSetup.CONSOLIDATED_FLUSHES;
  }

  /** The state of the built-in circuit breaker, for health checks. */
  @Override
  public CircuitBreakerStore.State circuitState() {
    return breaker.state();
  }

  /** Whether this store keeps a near cache (not switched off). */
  public boolean hasNearCache() {
    return nearCache != null;
  }

  @Nullable NearCache nearCache() {
    return nearCache;
  }

  @Override
  public byte @Nullable [] get(String key) {
    return front.get(Objects.requireNonNull(key, "key"));
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_BYTES) {
      // Redis would answer with a protocol error and close the connection every other call shares.
      throw new IllegalArgumentException("a value of " + value.length
          + " bytes is over Redis's default proto-max-bulk-len (512 MiB): not stored");
    }
    front.put(key, value, Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public boolean delete(String key) {
    return front.delete(Objects.requireNonNull(key, "key"));
  }

  @Override
  public long[] getVersions(List<String> keys) {
    return front.getVersions(Objects.requireNonNull(keys, "keys"));
  }

  /**
   * Reads the entry and the versions in one round trip (one {@code MGET}); with the near cache,
   * serves whatever it holds and reads only the rest, still in one round trip.
   */
  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    Objects.requireNonNull(key, "key");
    return front.getWithVersions(key, Objects.requireNonNull(versionKeys, "versionKeys"));
  }

  /** Reads the entry and the versions from Redis itself, refreshing the near cache with them. */
  @Override
  public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    Objects.requireNonNull(key, "key");
    return front.getAuthoritative(key, Objects.requireNonNull(versionKeys, "versionKeys"));
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    front.setVersion(Objects.requireNonNull(key, "key"), version, Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    Objects.requireNonNull(key, "key");
    return front.setVersionIfAbsent(key, version, Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(versions, "versions");
    if (keys.size() != versions.length) {
      throw new IllegalArgumentException(keys.size() + " keys but " + versions.length + " versions");
    }
    return front.setVersionsIfAbsent(keys, versions, Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    front.touchVersions(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return front.capabilities();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return front.scan(Objects.requireNonNull(pattern, "pattern"), cursor, count);
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return front.ttl(Objects.requireNonNull(key, "key"));
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(token, "token");
    return front.tryLock(key, token, Objects.requireNonNull(lease, "lease"));
  }

  @Override
  public void unlock(String key, String token) {
    front.unlock(Objects.requireNonNull(key, "key"), Objects.requireNonNull(token, "token"));
  }

  /**
   * The run ids of the servers this store reads from, as one non-zero number: the master's
   * (standalone, or the one the Sentinels name); {@code 0} before the first connect, or when the
   * server refuses {@code INFO}. It changes when Redis restarts (perhaps from a snapshot older than
   * the invalidations it acknowledged) or another server takes over (a replica promoted, which
   * may lack the last ones: replication is asynchronous), and Cachet then invalidates each
   * namespace once. A read across a reconnect, before the server said its run id, fails (a miss).
   */
  @Override
  public long incarnation() {
    return front.incarnation();
  }

  /** See {@code LettuceStore#evictionCount}; while the circuit is not closed, the last figure. */
  @Override
  public long evictionCount() {
    if (breaker.state() == CircuitBreakerStore.State.CLOSED) {
      lastEvictionCount = front.evictionCount();
    }
    return lastEvictionCount;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      front.close();
    }
  }

}
