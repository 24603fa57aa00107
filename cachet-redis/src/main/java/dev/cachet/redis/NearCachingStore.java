package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Serves entry bytes and versions from a {@link NearCache} in front of the Redis store, reading
 * through on a miss and evicting on every write. Versions are the hot keys (read on every hit that
 * carries tags), so a hit whose entry and versions are both local costs no round trip. Keys the
 * near cache does not cover ({@link NearCache#covers}) are read from Redis every time.
 * Thread-safe.
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
    if (!near.covers(key)) {
      return redis.get(key);
    }
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

  /**
   * Serves the entry and the versions the near cache holds (one lease check for all of them, the
   * entry's bytes as they were read, no copy) and reads the rest from Redis, in one round trip. A
   * near-cached absent entry is a miss without any round trip: its versions do not matter. Both
   * answers are marked {@link EntryAndVersions#fromLocalCopy() from a local copy}.
   *
   * <p>When a version is not near-cached, the entry is read from Redis with it even if the copy
   * holds one: a version is mostly missing because its push evicted it (it changed), and the
   * entry's own push may still be on its way, so the copy would pair an old entry with the new
   * version and look stale while Redis already holds the reload. Reading both in the same
   * {@code MGET} costs no round trip, only the entry's bytes, about once per version change.
   */
  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    if (!near.covers(key) || !near.coversAll(versionKeys)) {
      return redis.getWithVersions(key, versionKeys);
    }
    int n = versionKeys.size();
    long[] versions = new long[n];
    boolean[] unknown = null;
    if (near.servable()) {
      Object cached = near.cached(key);
      if (cached == NearCache.ABSENT) {
        return EntryAndVersions.noneInLocalCopy();
      }
      for (int i = 0; i < n; i++) {
        Object version = near.cached(versionKeys.get(i));
        if (version instanceof Long v) {
          versions[i] = v;
        } else if (version != NearCache.ABSENT) {
          if (unknown == null) {
            unknown = new boolean[n];
          }
          unknown[i] = true;
        }
      }
      if (cached instanceof byte[] entry && unknown == null) {
        return new EntryAndVersions(entry, versions, true);
      }
    } else {
      unknown = new boolean[n];
      Arrays.fill(unknown, true);
    }
    return readThrough(key, versionKeys, versions, unknown);
  }

  /**
   * Reads the entry and every version from Redis in one round trip, whatever the near cache
   * holds, and refreshes the near cache with them (each key reserved before the command is sent,
   * so a push arriving meanwhile still wins).
   */
  @Override
  public EntryAndVersions getAuthoritative(String key, List<String> versionKeys) {
    if (!near.covers(key) || !near.coversAll(versionKeys)) {
      return redis.getAuthoritative(key, versionKeys);
    }
    boolean[] all = new boolean[versionKeys.size()];
    Arrays.fill(all, true);
    return readThrough(key, versionKeys, new long[versionKeys.size()], all);
  }

  /**
   * Reads from Redis, in one round trip, the entry and the versions marked {@code unknown}, each
   * reserved in the near cache before the command is sent.
   */
  private EntryAndVersions readThrough(
      String key, List<String> versionKeys, long[] versions, boolean @Nullable [] unknown) {
    Map<String, NearCache.Pending> pending = new LinkedHashMap<>();
    if (unknown != null) {
      for (int i = 0; i < unknown.length; i++) {
        if (unknown[i]) {
          pending.putIfAbsent(versionKeys.get(i), null);
        }
      }
    }
    List<String> read = new ArrayList<>(pending.keySet());
    NearCache.Pending entryPending = near.begin(key);
    for (String versionKey : read) {
      pending.put(versionKey, near.begin(versionKey));
    }
    byte[] value;
    long[] fetched;
    try {
      if (read.isEmpty()) {
        value = redis.get(key);
        fetched = new long[0];
      } else {
        EntryAndVersions both = redis.getWithVersions(key, read);
        value = both.entry();
        fetched = both.versions() != null ? both.versions() : redis.getVersions(read);
      }
    } catch (RuntimeException e) {
      near.abandon(key, entryPending);
      pending.forEach(near::abandon);
      throw e;
    }
    near.complete(key, entryPending, value == null ? NearCache.ABSENT : value);
    Map<String, Long> byKey = new LinkedHashMap<>();
    for (int i = 0; i < read.size(); i++) {
      String versionKey = read.get(i);
      near.complete(versionKey, pending.get(versionKey), fetched[i] == 0 ? NearCache.ABSENT : (Object) fetched[i]);
      byKey.put(versionKey, fetched[i]);
    }
    // An entry read here but judged by a version the copy answered is partly the copy's word:
    // that version's push may still be on its way (EntryReader then confirms a stale answer).
    boolean partlyLocal = false;
    for (int i = 0; i < versions.length; i++) {
      if (unknown != null && unknown[i]) {
        versions[i] = byKey.get(versionKeys.get(i));
      } else {
        partlyLocal = true;
      }
    }
    return value == null ? EntryAndVersions.none() : new EntryAndVersions(value, versions, partlyLocal);
  }

  @Override
  public long[] getVersions(List<String> keys) {
    if (!near.coversAll(keys)) {
      return redis.getVersions(keys);
    }
    long[] result = new long[keys.size()];
    Map<String, NearCache.Pending> missing = null;
    boolean servable = near.servable();
    for (int i = 0; i < result.length; i++) {
      String key = keys.get(i);
      Object cached = servable ? near.cached(key) : null;
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
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    try {
      return redis.setVersionsIfAbsent(keys, versions, ttl);
    } finally {
      keys.forEach(near::evict);
    }
  }

  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    redis.touchVersions(keys, ttl); // the values stay: the near copies too
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
  public long incarnation() {
    return redis.incarnation();
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
