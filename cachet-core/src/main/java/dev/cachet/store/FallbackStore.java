package dev.cachet.store;

import dev.cachet.internal.InvalidationBacklog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A primary store with a fallback behind it, typically Redis with a {@link MemoryStore}: while
 * the primary fails, reads and writes go to the fallback, whose entries live at most
 * {@code maxFallbackTtl} so that what it serves stays recent.
 *
 * <p>Invalidations (version changes, deletes) always go to both. One the primary cannot take is
 * kept and replayed, in order, before the primary is read again; until then reads are served by
 * the fallback, so an invalidation acknowledged during an outage is never undone when the primary
 * returns. Up to 100,000 distinct keys are kept; past that the primary is not read again by this
 * store (never stale, only slower). Capabilities are the primary's. Thread-safe.
 */
public final class FallbackStore implements CacheStore {
  private static final int MAX_BACKLOG = 100_000;
  /** Scan cursors of the primary's part, then of the fallback's ({@link #scan}). */
  private static final String IN_PRIMARY = "p:";
  private static final String IN_FALLBACK = "f:";

  private final CacheStore primary;
  private final CacheStore fallback;
  private final Duration maxFallbackTtl;
  private final InvalidationBacklog backlog;
  private final LongAdder fallbackCalls = new LongAdder();
  private final List<Consumer<? super RuntimeException>> primaryFailureListeners = new CopyOnWriteArrayList<>();

  private FallbackStore(CacheStore primary, CacheStore fallback, Duration maxFallbackTtl) {
    this.primary = primary;
    this.fallback = fallback;
    this.maxFallbackTtl = maxFallbackTtl;
    // Past the backlog's capacity the store cannot tell which primary entries are stale, so the
    // primary is never read again by this process: slower, never wrong.
    this.backlog = new InvalidationBacklog(MAX_BACKLOG, () -> {
      throw new IllegalStateException("invalidation backlog overflowed; primary left unread");
    }, this::primaryReady);
  }

  /**
   * A store that uses {@code fallback} while {@code primary} fails.
   *
   * @param maxFallbackTtl the longest time an entry lives in the fallback; positive
   */
  public static FallbackStore of(CacheStore primary, CacheStore fallback, Duration maxFallbackTtl) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(maxFallbackTtl, "maxFallbackTtl");
    if (maxFallbackTtl.isNegative() || maxFallbackTtl.isZero()) {
      throw new IllegalArgumentException("maxFallbackTtl must be positive: " + maxFallbackTtl);
    }
    return new FallbackStore(primary, fallback, maxFallbackTtl);
  }

  /** The primary store (for health checks: the fallback always answers). */
  public CacheStore primary() {
    return primary;
  }

  /** Invalidations waiting for the primary. */
  public int pendingInvalidations() {
    return backlog.size();
  }

  /**
   * Reads and writes the fallback answered since this store was built, because the primary
   * failed or still had invalidations to replay (invalidations, which always reach both, are not
   * counted).
   */
  public long fallbackCalls() {
    return fallbackCalls.sum();
  }

  /**
   * Tells {@code listener} of every failure of the primary that this store answered from the
   * fallback, or kept for replay, instead of throwing: a cache built over this store counts and
   * logs them as it does the failures of a store without a fallback. Called on the failing
   * caller's thread; a listener must be quick and must not throw.
   */
  public void addPrimaryFailureListener(Consumer<? super RuntimeException> listener) {
    primaryFailureListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void primaryFailed(RuntimeException e) {
    for (Consumer<? super RuntimeException> listener : primaryFailureListeners) {
      listener.accept(e);
    }
  }

  private boolean primaryReady() {
    if (backlog.isEmpty()) {
      return true;
    }
    try {
      backlog.drain();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private <T> T read(Supplier<T> fromPrimary, Supplier<T> fromFallback) {
    if (primaryReady()) {
      try {
        return fromPrimary.get();
      } catch (RuntimeException e) {
        primaryFailed(e); // then the fallback answers
      }
    }
    fallbackCalls.increment();
    return fromFallback.get();
  }

  private void invalidate(String key, Runnable onPrimary, Runnable onFallback) {
    onFallback.run();
    if (primaryReady()) {
      try {
        onPrimary.run();
        return;
      } catch (RuntimeException e) {
        primaryFailed(e); // kept for replay below
      }
    }
    backlog.add(key, onPrimary);
  }

  private Duration capped(Duration ttl) {
    return ttl.compareTo(maxFallbackTtl) > 0 ? maxFallbackTtl : ttl;
  }

  @Override
  public byte @Nullable [] get(String key) {
    return read(() -> primary.get(key), () -> fallback.get(key));
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    read(() -> {
      primary.put(key, value, ttl);
      return null;
    }, () -> {
      fallback.put(key, value, capped(ttl));
      return null;
    });
  }

  @Override
  public boolean delete(String key) {
    boolean[] deleted = new boolean[1];
    invalidate(key, () -> deleted[0] |= primary.delete(key), () -> deleted[0] |= fallback.delete(key));
    return deleted[0];
  }

  @Override
  public long[] getVersions(List<String> keys) {
    return read(() -> primary.getVersions(keys), () -> fallback.getVersions(keys));
  }

  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    return read(() -> primary.getWithVersions(key, versionKeys),
        () -> fallback.getWithVersions(key, versionKeys));
  }

  @Override
  public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    return read(() -> primary.getAuthoritative(key, versionKeys),
        () -> fallback.getAuthoritative(key, versionKeys));
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    invalidate(key, () -> primary.setVersion(key, version, ttl), () -> fallback.setVersion(key, version, ttl));
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    return read(
        () -> primary.setVersionIfAbsent(key, version, ttl),
        () -> fallback.setVersionIfAbsent(key, version, ttl));
  }

  @Override
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    return read(
        () -> primary.setVersionsIfAbsent(keys, versions, ttl),
        () -> fallback.setVersionsIfAbsent(keys, versions, ttl));
  }

  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    read(() -> {
      primary.touchVersions(keys, ttl);
      return null;
    }, () -> {
      fallback.touchVersions(keys, ttl);
      return null;
    });
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return primary.capabilities();
  }

  /**
   * Scans the primary, then the fallback for the keys the primary lacks: entries written there
   * during an outage, which a pattern delete must reach too (the fallback serves them again if
   * the primary fails again within their lifetime). The cursor names the store it is in.
   */
  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    if (cursor == null || cursor.startsWith(IN_PRIMARY)) {
      ScanPage page = primary.scan(pattern, cursor == null ? null : cursor.substring(IN_PRIMARY.length()), count);
      if (page.nextCursor() != null) {
        return new ScanPage(page.keys(), IN_PRIMARY + page.nextCursor());
      }
      boolean more = fallback.capabilities().contains(StoreCapability.PATTERN_SCAN);
      return new ScanPage(page.keys(), more ? IN_FALLBACK : null);
    }
    if (!cursor.startsWith(IN_FALLBACK)) {
      throw new IllegalArgumentException("not a cursor of this store: '" + cursor + "'");
    }
    String inner = cursor.substring(IN_FALLBACK.length());
    ScanPage page = fallback.scan(pattern, inner.isEmpty() ? null : inner, count);
    List<String> onlyThere = new java.util.ArrayList<>();
    for (String key : page.keys()) {
      if (primaryLacks(key)) {
        onlyThere.add(key); // a key in both was found in the primary's part already
      }
    }
    return new ScanPage(onlyThere, page.nextCursor() == null ? null : IN_FALLBACK + page.nextCursor());
  }

  private boolean primaryLacks(String key) {
    try {
      return primary.get(key) == null;
    } catch (RuntimeException e) {
      return true; // cannot tell: listed, since a scan may repeat keys but never skip them
    }
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return read(() -> primary.ttl(key), () -> fallback.ttl(key));
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    return primary.tryLock(key, token, lease);
  }

  @Override
  public void unlock(String key, String token) {
    primary.unlock(key, token);
  }

  /**
   * The primary's: the fallback is in this process and never comes back older. While the
   * primary cannot say what it would read from, its reads fail and the fallback answers them.
   */
  @Override
  public long incarnation() {
    return primary.incarnation();
  }

  @Override
  public long evictionCount() {
    return primary.evictionCount() + fallback.evictionCount();
  }

  @Override
  public void close() {
    backlog.close();
    try {
      primary.close();
    } finally {
      fallback.close();
    }
  }
}
