package dev.cachet;

import dev.cachet.internal.DefaultCachet;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Cachet}. Each setter may be called once ({@link IllegalStateException}
 * otherwise) and checks its argument at once ({@link IllegalArgumentException}). Not thread-safe.
 */
public final class CachetBuilder {
  private @Nullable CacheStore store;
  private String namespace = "cachet";
  private Clock clock = Clock.systemUTC();
  private CachePolicy defaultPolicy = CachePolicy.ofTtl(Duration.ofSeconds(60));
  private Duration maxWait = Duration.ofSeconds(10);
  private Duration versionTtl = Duration.ofDays(1);
  private Duration errorLogInterval = Duration.ofSeconds(30);
  private @Nullable Executor refreshExecutor;
  private final Set<String> set = new HashSet<>();

  CachetBuilder() {}

  private void once(String name) {
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  private static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    if (d.compareTo(CachePolicy.MAX_DURATION) > 0) { // nanoseconds and millis must not overflow
      throw new IllegalArgumentException(name + " must be at most " + CachePolicy.MAX_DURATION + ": " + d);
    }
    return d;
  }

  /**
   * The store; default a {@link MemoryStore} of 256 MiB, which the cache owns and closes. A store
   * passed here is the caller's: several caches may share it, and closing a cache leaves it open.
   */
  public CachetBuilder store(CacheStore store) {
    once("store");
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /**
   * The namespace every key of this cache lives under (letters, digits, {@code . _ -}, at most
   * 64); several caches may share a store under different namespaces. Default {@code cachet}.
   */
  public CachetBuilder namespace(String namespace) {
    once("namespace");
    this.namespace = KeyMapper.validateNamespace(namespace);
    return this;
  }

  /** The clock entries are timed by; tests pass one they advance. Default the system UTC clock. */
  public CachetBuilder clock(Clock clock) {
    once("clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The policy of calls that name none; default a 60 s TTL. */
  public CachetBuilder defaultPolicy(CachePolicy policy) {
    once("defaultPolicy");
    this.defaultPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * How long a caller waits for a concurrent load of the same key (in this process or, with a
   * distributed lock, in another) before it loads for itself; a load in this process still
   * running then is taken over (see {@link Cachet#get}). Default 10 s; at most
   * {@link CachePolicy#MAX_DURATION}.
   */
  public CachetBuilder maxWait(Duration maxWait) {
    once("maxWait");
    this.maxWait = positive("maxWait", maxWait);
    return this;
  }

  /**
   * How long an unused tag version is kept in the store; default 1 day. Shorter bounds the
   * store's memory for many short-lived tags (ever-new paths make tags no load uses again); an
   * expired version only costs its entries a reload, never a stale hit, so entries that live
   * longer than this without a load of their tags are reloaded once it passes. A version in use
   * is kept alive: a load that finds it extends it, at most once per process per quarter of this
   * TTL (on stores that implement {@link dev.cachet.store.CacheStore#touchVersions}). The
   * namespace version never expires by time.
   */
  public CachetBuilder versionTtl(Duration ttl) {
    once("versionTtl");
    this.versionTtl = positive("versionTtl", ttl);
    return this;
  }

  /** Store failures are logged at most once per {@code interval}; default 30 s. */
  public CachetBuilder errorLogInterval(Duration interval) {
    once("errorLogInterval");
    this.errorLogInterval = positive("errorLogInterval", interval);
    return this;
  }

  /**
   * Runs background refreshes (refresh-ahead, stale-while-revalidate). Default: a pool of up to
   * 8 daemon threads owned by the cache.
   */
  public CachetBuilder refreshExecutor(Executor executor) {
    once("refreshExecutor");
    this.refreshExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** Builds the cache. */
  public Cachet build() {
    CacheStore s = store != null ? store : MemoryStore.builder().clock(clock).build();
    return new DefaultCachet(
        s, store == null, namespace, clock, defaultPolicy, maxWait, versionTtl, errorLogInterval,
        refreshExecutor);
  }
}
