package dev.cachet.memcached;

import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.StoreCapability;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.exception.MemcachedException;
import net.rubyeye.xmemcached.exception.MemcachedServerException;
import org.jspecify.annotations.Nullable;

/**
 * The Memcached operations on already-mapped keys, one client call each, with the client's
 * checked exceptions turned into {@link MemcachedStoreException}. {@link MemcachedStore} routes to
 * it through a circuit breaker per server. Thread-safe.
 */
final class MemcachedOps implements CacheStore {
  private static final RawBytesTranscoder RAW = RawBytesTranscoder.INSTANCE;
  private static final int VERSION_BYTES = Long.BYTES;
  private static final int VERSION_ATTEMPTS = 4;

  private final MemcachedClient client;
  private final long timeoutMillis;
  private final Clock clock;
  private final ItemSizeLimits limits;
  private final LongAdder refusals = new LongAdder();

  MemcachedOps(MemcachedClient client, Duration timeout, Clock clock, ItemSizeLimits limits) {
    this.client = client;
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
    this.limits = limits;
  }

  /** One client call; {@code null} results are allowed (misses). */
  @FunctionalInterface
  private interface Call<T> {
    @Nullable T run() throws TimeoutException, InterruptedException, MemcachedException;
  }

  private <T> @Nullable T call(String operation, String key, Call<T> call) {
    try {
      return call.run();
    } catch (TimeoutException e) {
      throw new MemcachedStoreException(
          operation + " '" + key + "' timed out after " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemcachedStoreException(operation + " '" + key + "' was interrupted", e);
    } catch (MemcachedException e) {
      throw new MemcachedStoreException(operation + " '" + key + "' failed: " + e.getMessage(), e);
    }
  }

  private boolean callFlag(String operation, String key, Call<Boolean> call) {
    return Boolean.TRUE.equals(call(operation, key, call));
  }

  @Override
  public byte @Nullable [] get(String key) {
    return call("get", key, () -> client.get(key, timeoutMillis, RAW));
  }

  /**
   * Sets the value, or refuses it with {@link IllegalArgumentException} (which circuit breakers
   * do not count) when it is over its server's item size limit: such a value is never sent, and
   * the key's older value is deleted, as Memcached itself does when a set is too large. A "too
   * large" reply, should a server still send one, is a refusal too.
   */
  @Override
  public void put(String key, byte[] value, Duration ttl) {
    ItemSizeLimits.Limit limit = limits.limitFor(key);
    if (value.length > limit.valueBytes()) {
      delete(key);
      throw refused(key, value.length, limit, "exceeds the Memcached item size limit");
    }
    try {
      set("set", key, value, ttl);
    } catch (MemcachedStoreException e) {
      if (e.getCause() instanceof MemcachedServerException reply && isTooLarge(reply)) {
        throw refused(key, value.length, limit, "was refused by the server as too large");
      }
      throw e;
    }
  }

  /** Values refused for their size since this store was built. */
  long refusals() {
    return refusals.sum();
  }

  private IllegalArgumentException refused(
      String key, int bytes, ItemSizeLimits.Limit limit, String why) {
    refusals.increment();
    return new IllegalArgumentException(
        "value of " + bytes + " bytes for '" + key + "' " + why + " of server " + limit.server()
            + " (" + limit.valueBytes() + " bytes for this key: item size " + limit.itemSizeMax()
            + " less the key and " + ItemSizeLimits.ITEM_OVERHEAD
            + " bytes of item overhead); not stored");
  }

  /** xmemcached's message for the binary protocol's "value too large" status (E2BIG). */
  private static boolean isTooLarge(MemcachedServerException reply) {
    String message = String.valueOf(reply.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("too big") || message.contains("too large");
  }

  private void set(String operation, String key, byte[] value, Duration ttl) {
    int expiry = Expiry.of(ttl, clock);
    if (!callFlag(operation, key, () -> client.set(key, expiry, value, RAW, timeoutMillis))) {
      throw new MemcachedStoreException(
          operation + " '" + key + "' was refused by the server (" + value.length + " bytes)");
    }
  }

  @Override
  public boolean delete(String key) {
    return callFlag("delete", key, () -> client.delete(key, timeoutMillis));
  }

  /** One multi-get; the client sends each server its share in parallel. */
  @Override
  public long[] getVersions(List<String> keys) {
    Set<String> distinct = new LinkedHashSet<>(keys);
    Map<String, byte[]> found =
        call("get versions", keys.get(0), () -> client.get(distinct, timeoutMillis, RAW));
    long[] versions = new long[keys.size()];
    for (int i = 0; i < versions.length; i++) {
      versions[i] = found == null ? 0 : decodeVersion(found.get(keys.get(i)));
    }
    return versions;
  }

  /** One multi-get of the entry and its versions; the client asks each server in parallel. */
  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    Set<String> all = new LinkedHashSet<>();
    all.add(key);
    all.addAll(versionKeys);
    Map<String, byte[]> found =
        call("get with versions", key, () -> client.get(all, timeoutMillis, RAW));
    long[] versions = new long[versionKeys.size()];
    for (int i = 0; i < versions.length; i++) {
      versions[i] = found == null ? 0 : decodeVersion(found.get(versionKeys.get(i)));
    }
    return new EntryAndVersions(found == null ? null : found.get(key), versions);
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    set("set version", key, encodeVersion(version), ttl);
  }

  /** One {@code touch} per key: rare (once per key and process per quarter of the version TTL). */
  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    int expiry = Expiry.of(ttl, clock);
    for (String key : keys) {
      callFlag("touch version", key, () -> client.touch(key, expiry, timeoutMillis));
    }
  }

  /**
   * {@code add}, and on failure a {@code get} of the version that won. A value that is not a
   * version (foreign or damaged) is replaced under CAS; a version that vanishes between the two
   * calls (expired, evicted) is added again.
   */
  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    byte[] bytes = encodeVersion(version);
    int expiry = Expiry.of(ttl, clock);
    for (int attempt = 0; attempt < VERSION_ATTEMPTS; attempt++) {
      if (callFlag("add version", key, () -> client.add(key, expiry, bytes, RAW, timeoutMillis))) {
        return version;
      }
      GetsResponse<byte[]> existing =
          call("gets version", key, () -> client.gets(key, timeoutMillis, RAW));
      if (existing == null) {
        continue;
      }
      long current = decodeVersion(existing.getValue());
      if (current != 0) {
        return current;
      }
      long cas = existing.getCas();
      if (callFlag("cas version", key,
          () -> client.cas(key, expiry, bytes, RAW, timeoutMillis, cas))) {
        return version;
      }
    }
    throw new MemcachedStoreException("version '" + key + "' kept changing; giving up");
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return EnumSet.of(StoreCapability.DISTRIBUTED_LOCK, StoreCapability.SHARED);
  }

  /** {@code add} succeeds only when the key is absent; the lease is the item's expiry. */
  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    int expiry = Expiry.of(lease, clock);
    return callFlag("lock", key, () -> client.add(key, expiry, bytes, RAW, timeoutMillis));
  }

  /**
   * Compare-and-delete: {@code gets} reads the holder's token and the item's CAS id, and the
   * delete carries that CAS id (binary protocol), so it removes nothing if the lock expired and
   * was taken by someone else in between.
   */
  @Override
  public void unlock(String key, String token) {
    GetsResponse<byte[]> held = call("gets lock", key, () -> client.gets(key, timeoutMillis, RAW));
    if (held == null || !Arrays.equals(held.getValue(), token.getBytes(StandardCharsets.UTF_8))) {
      return;
    }
    long cas = held.getCas();
    call("unlock", key, () -> client.delete(key, cas, timeoutMillis));
  }

  static byte[] encodeVersion(long version) {
    return ByteBuffer.allocate(VERSION_BYTES).putLong(version).array();
  }

  /** The version in {@code bytes}; {@code 0} (absent) for anything that is not 8 bytes. */
  static long decodeVersion(byte @Nullable [] bytes) {
    return bytes != null && bytes.length == VERSION_BYTES ? ByteBuffer.wrap(bytes).getLong() : 0;
  }
}
