package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Serves entry bytes and versions from a {@link NearCache} in front of the Redis store, reading
 * through on a miss and evicting on every write. Versions are the hot keys (read on every hit that
 * carries tags), so a hit whose entry and versions are both local costs no round trip. Thread-safe.
 */
final class NearCachingStore implements CacheStore {
  private final CacheStore redis;
  private final NearCache near;

  NearCachingStore(CacheStore redis, NearCache near) {
    this.redis = redis;
    this.near = near;
  }

  NearCache nearCache() {
    return near;
  }

  @Override
  public byte @Nullable [] get(String key) {
    Object cached = near.lookup(key);
    if (cached instanceof byte[] bytes) {
      return bytes;
    }
    if (cached == NearCache.ABSENT) {
      return null;
    }
    NearCache.Pending pending = near.begin(key);
    byte[] value;
    try {
      value = redis.get(key);
    } catch (RuntimeException e) {
      near.abandon(key, pending);
      throw e;
    }
    near.complete(key, pending, value == null ? NearCache.ABSENT : value);
    return value;
  }

  @Override
  public long[] getVersions(List<String> keys) {
    long[] result = new long[keys.size()];
    Map<String, NearCache.Pending> missing = null;
    for (int i = 0; i < result.length; i++) {
      String key = keys.get(i);
      Object cached = near.lookup(key);
      if (cached instanceof Long version) {
        result[i] = version;
      } else if (cached == NearCache.ABSENT) {
        result[i] = 0;
      } else {
        if (missing == null) {
          missing = new LinkedHashMap<>();
        }
        missing.putIfAbsent(key, null);
      }
    }
    if (missing == null) {
      return result;
    }
    List<String> read = new ArrayList<>(missing.keySet());
    for (String key : read) {
      missing.put(key, near.begin(key));
    }
    long[] fetched;
    try {
      fetched = redis.getVersions(read);
    } catch (RuntimeException e) {
      missing.forEach(near::abandon);
      throw e;
    }
    Map<String, Long> byKey = new LinkedHashMap<>();
    for (int i = 0; i < read.size(); i++) {
      String key = read.get(i);
      near.complete(key, missing.get(key), fetched[i] == 0 ? NearCache.ABSENT : (Object) fetched[i]);
      byKey.put(key, fetched[i]);
    }
    for (int i = 0; i < result.length; i++) {
      Long version = byKey.get(keys.get(i));
      if (version != null) {
        result[i] = version;
      }
    }
    return result;
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    try {
      redis.put(key, value, ttl);
    } finally {
      near.evict(key);
    }
  }

  @Override
  public boolean delete(String key) {
    try {
      return redis.delete(key);
    } finally {
      near.evict(key);
    }
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    try {
      redis.setVersion(key, version, ttl);
    } finally {
      near.evict(key);
    }
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    try {
      return redis.setVersionIfAbsent(key, version, ttl);
    } finally {
      near.evict(key);
    }
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return redis.capabilities();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return redis.scan(pattern, cursor, count);
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return redis.ttl(key);
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    return redis.tryLock(key, token, lease);
  }

  @Override
  public void unlock(String key, String token) {
    redis.unlock(key, token);
  }

  @Override
  public long evictionCount() {
    return redis.evictionCount();
  }

  @Override
  public void close() {
    try {
      redis.close();
    } finally {
      near.suspend();
    }
  }
}
