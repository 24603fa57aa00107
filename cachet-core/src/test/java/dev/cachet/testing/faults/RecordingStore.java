package dev.cachet.testing.faults;

import dev.cachet.store.CacheStore;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Passes every call to the real store and notes when a write of one version key was first
 * acknowledged after {@link #arm}: the moment an invalidation reached the store, whether it was
 * written at once or replayed from the backlog. Thread-safe.
 */
public final class RecordingStore implements CacheStore {
  private final CacheStore store;
  private final String watchedKey;
  private volatile boolean armed;
  private final AtomicLong reachedAt = new AtomicLong(Long.MAX_VALUE);

  public RecordingStore(CacheStore store, String watchedKey) {
    this.store = store;
    this.watchedKey = watchedKey;
  }

  /** Starts watching: the next acknowledged write of the watched key is recorded. */
  public void arm() {
    armed = true;
  }

  /** {@link System#nanoTime()} when the watched write was acknowledged, else {@code MAX_VALUE}. */
  public long reachedAt() {
    return reachedAt.get();
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    store.setVersion(key, version, ttl);
    if (armed && key.equals(watchedKey)) {
      reachedAt.accumulateAndGet(System.nanoTime(), Math::min);
    }
  }

  @Override
  public byte @Nullable [] get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    store.put(key, value, ttl);
  }

  @Override
  public boolean delete(String key) {
    return store.delete(key);
  }

  @Override
  public long[] getVersions(List<String> keys) {
    return store.getVersions(keys);
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    return store.setVersionIfAbsent(key, version, ttl);
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return store.capabilities();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return store.scan(pattern, cursor, count);
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return store.ttl(key);
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    return store.tryLock(key, token, lease);
  }

  @Override
  public void unlock(String key, String token) {
    store.unlock(key, token);
  }

  @Override
  public long evictionCount() {
    return store.evictionCount();
  }

  @Override
  public void close() {
    store.close();
  }
}
