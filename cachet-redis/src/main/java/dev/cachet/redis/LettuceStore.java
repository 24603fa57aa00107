package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The store operations as Redis commands, one command (or one script) each; no caching, no
 * circuit breaking. Every multi-key command is either split per slot by Lettuce ({@code MGET}) or
 * touches one key, so all of them run on a cluster. Thread-safe.
 */
final class LettuceStore implements CacheStore {
  private static final Set<StoreCapability> CAPABILITIES =
      Collections.unmodifiableSet(
          EnumSet.of(
              StoreCapability.PATTERN_SCAN, StoreCapability.DISTRIBUTED_LOCK, StoreCapability.SHARED));

  private final Connector connector;
  private final Await await;

  /**
   * @param stuckAfter consecutive command time-outs after which the connection is dropped and
   *     made afresh: replies that never come would otherwise be waited for forever
   */
  LettuceStore(Connector connector, Duration commandTimeout, int stuckAfter) {
    this.connector = connector;
    this.await = new Await(commandTimeout, stuckAfter, connector::dropConnection);
  }

  /** Milliseconds for {@code PX}: at least 1, since Redis rejects {@code PX 0}. */
  private static long px(Duration ttl) {
    long ms = ttl.toMillis();
    if (ttl.compareTo(Duration.ofMillis(ms)) > 0) {
      ms++; // round a sub-millisecond remainder up: never expire early
    }
    return Math.max(1, ms);
  }

  /**
   * The reply of a read, only when it comes from the incarnation the connector reported when it
   * was sent (read after {@link Connector#commands()}, which connects if need be): a read
   * that spans a reconnect to a server not yet asked for its run id fails instead (see
   * {@code CacheStore#incarnation}).
   */
  private <T> T read(RedisFuture<T> command, long incarnationBefore) {
    T reply = await.result(command);
    if (connector.readableIncarnation() != incarnationBefore) {
      throw new RedisConnectionException("the Redis server changed during the read");
    }
    return reply;
  }

  @Override
  public byte @Nullable [] get(String key) {
    RedisClusterAsyncCommands<String, byte[]> commands = connector.commands(); // connects if need be
    return read(commands.get(key), connector.readableIncarnation());
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    await.result(connector.commands().set(key, value, SetArgs.Builder.px(px(ttl))));
  }

  /** {@code UNLINK}: a large entry is freed off Redis's main thread. */
  @Override
  public boolean delete(String key) {
    return await.result(connector.commands().unlink(key)) > 0;
  }

  /**
   * One {@code MGET} of the distinct keys: one round trip on a standalone server; on a cluster one
   * {@code MGET} per slot, all sent before any reply is awaited.
   */
  @Override
  public long[] getVersions(List<String> keys) {
    if (keys.isEmpty()) {
      return new long[0];
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    RedisClusterAsyncCommands<String, byte[]> commands = connector.commands();
    long before = connector.readableIncarnation();
    List<KeyValue<String, byte[]>> values =
        read(commands.mget(distinct.toArray(new String[0])), before);
    long[] result = new long[keys.size()];
    if (distinct.size() == keys.size()) {
      for (int i = 0; i < result.length; i++) {
        result[i] = Versions.decode(values.get(i).getValueOrElse(null));
      }
      return result;
    }
    Map<String, Long> byKey = new HashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      byKey.put(distinct.get(i), Versions.decode(values.get(i).getValueOrElse(null)));
    }
    for (int i = 0; i < result.length; i++) {
      result[i] = byKey.get(keys.get(i));
    }
    return result;
  }

  /**
   * One {@code MGET} of the entry key followed by the version keys: a hit costs one command and
   * one round trip on a standalone server (Redis answers {@code nil} for an absent key, as
   * {@code GET} does); on a cluster Lettuce sends one {@code MGET} per slot, all before any reply
   * is awaited. An {@code MGET} is tracked like a {@code GET} by {@code CLIENT TRACKING}.
   */
  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    int n = versionKeys.size();
    if (n == 0) {
      return new EntryAndVersions(get(key), new long[0]);
    }
    String[] keys = new String[n + 1];
    keys[0] = key;
    for (int i = 0; i < n; i++) {
      keys[i + 1] = versionKeys.get(i);
    }
    RedisClusterAsyncCommands<String, byte[]> commands = connector.commands();
    long before = connector.readableIncarnation();
    List<KeyValue<String, byte[]>> values = read(commands.mget(keys), before);
    long[] versions = new long[n];
    for (int i = 0; i < n; i++) {
      versions[i] = Versions.decode(values.get(i + 1).getValueOrElse(null));
    }
    return new EntryAndVersions(values.get(0).getValueOrElse(null), versions);
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    await.result(connector.commands().set(key, Versions.encode(version), SetArgs.Builder.px(px(ttl))));
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    RedisClusterAsyncCommands<String, byte[]> commands = connector.commands();
    long before = connector.readableIncarnation();
    byte[] stored =
        Script.SET_VERSION_IF_ABSENT.run(
            commands, await, ScriptOutputType.VALUE, key, Versions.encode(version),
            ascii(px(ttl)));
    if (connector.readableIncarnation() != before) {
      throw new RedisConnectionException("the Redis server changed during the read");
    }
    return Versions.decode(stored);
  }

  /** One script per key, as {@link #setVersionIfAbsent}, sent together: one round trip of latency. */
  @Override
  public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
    byte[] px = ascii(px(ttl));
    List<byte[][]> args = new ArrayList<>(keys.size());
    for (long version : versions) {
      args.add(new byte[][] {Versions.encode(version), px});
    }
    List<byte[]> stored = Script.SET_VERSION_IF_ABSENT.runEach(
        connector.commands(), await, ScriptOutputType.VALUE, keys, args);
    long[] result = new long[stored.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = Versions.decode(stored.get(i));
    }
    return result;
  }

  /** One {@code PEXPIRE} per key, sent together: one round trip of latency. */
  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    long ms = px(ttl);
    List<RedisFuture<Boolean>> sent = new ArrayList<>(keys.size());
    for (String key : keys) {
      sent.add(connector.commands().pexpire(key, ms));
    }
    for (RedisFuture<Boolean> reply : sent) {
      await.result(reply);
    }
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    return connector.scan(pattern, cursor, Math.max(1, count));
  }

  @Override
  public @Nullable Duration ttl(String key) {
    long ms = await.result(connector.commands().pttl(key));
    return ms < 0 ? null : Duration.ofMillis(ms); // -2 absent, -1 no expiry: neither is a TTL
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    String reply =
        await.result(
            connector.commands().set(key, utf8(token), SetArgs.Builder.nx().px(px(lease))));
    return "OK".equals(reply);
  }

  @Override
  public void unlock(String key, String token) {
    Script.COMPARE_AND_DELETE.<Long>run(
        connector.commands(), await, ScriptOutputType.INTEGER, key, utf8(token));
  }

  /**
   * {@code evicted_keys} of {@code INFO stats}, summed over masters: every key the server evicted
   * for {@code maxmemory}, which is what an operator sizing Redis for the cache needs, though it
   * also counts keys of other applications sharing the server. The last figure while unreachable.
   */
  @Override
  public long incarnation() {
    return connector.incarnation();
  }

  @Override
  public long evictionCount() {
    return connector.evictedKeys();
  }

  @Override
  public void close() {
    connector.close();
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
