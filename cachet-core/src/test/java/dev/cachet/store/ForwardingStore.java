package dev.cachet.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A store that forwards every call; tests override single methods to inject behaviour. Batch
 * version writes are left to {@link CacheStore}'s default, which calls {@link #setVersionIfAbsent}
 * per key, so that an override of it sees them.
 */
public class ForwardingStore implements CacheStore {
  protected final CacheStore delegate;

  public ForwardingStore(CacheStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte @Nullable [] get(String key) {
    return delegate.get(key);
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    delegate.put(key, value, ttl);
  }

  @Override
  public boolean delete(String key) {
    return delegate.delete(key);
  }

  @Override
  public long[] getVersions(List<String> keys) {
    return delegate.getVersions(keys);
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    delegate.setVersion(key, version, ttl);
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    return delegate.setVersionIfAbsent(key, version, ttl);
  }

  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    delegate.touchVersions(keys, ttl);
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return delegate.scan(pattern, cursor, count);
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return delegate.ttl(key);
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    return delegate.tryLock(key, token, lease);
  }

  @Override
  public void unlock(String key, String token) {
    delegate.unlock(key, token);
  }

  @Override
  public long evictionCount() {
    return delegate.evictionCount();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public long incarnation() {
    return delegate.incarnation();
  }
}
