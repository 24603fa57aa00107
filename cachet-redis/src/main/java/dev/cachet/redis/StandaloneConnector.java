package dev.cachet.redis;

import dev.cachet.store.ScanPage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** One connection to a standalone server (or the master a Sentinel names). Thread-safe. */
final class StandaloneConnector implements Connector {
  private final RedisClient client;
  private final RedisURI uri;
  private final Await await;
  private final Duration timeout;
  private final @Nullable ClientResources ownedResources;
  private final Consumer<StatefulRedisConnection<String, byte[]>> onConnect;
  private final ReentrantLock connecting = new ReentrantLock();
  private volatile @Nullable StatefulRedisConnection<String, byte[]> connection;
  private volatile boolean closed;
  private volatile long lastEvicted;

  /**
   * @param onConnect runs on each new connection before any command is sent on it (the near
   *     cache registers its listeners there)
   */
  StandaloneConnector(
      Settings settings, Consumer<StatefulRedisConnection<String, byte[]>> onConnect) {
    this.uri = settings.standalone();
    this.timeout = settings.commandTimeout();
    // The URI timeout bounds the connection handshake (HELLO, AUTH, SELECT); commands are bounded
    // by TimeoutOptions. A cold JVM needs more than a command timeout for its first handshake.
    this.uri.setTimeout(settings.connectTimeout());
    this.await = new Await(timeout);
    this.onConnect = onConnect;
    ClientResources shared = settings.clientResources();
    this.ownedResources = shared == null ? LettuceSetup.ownResources() : null;
    this.client = RedisClient.create(shared != null ? shared : ownedResources, uri);
    this.client.setOptions(LettuceSetup.clientOptions(settings));
  }

  /** The connection if one is open or being reconnected by Lettuce; never connects. */
  @Nullable StatefulRedisConnection<String, byte[]> current() {
    return connection;
  }

  /**
   * The connection, made now if there is none. One caller connects at a time; the others fail at
   * once instead of queueing behind a slow connect.
   */
  StatefulRedisConnection<String, byte[]> connection() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c != null) {
      return c;
    }
    if (closed) {
      throw new IllegalStateException("the Redis store is closed");
    }
    if (!connecting.tryLock()) {
      throw new RedisConnectionException("connecting to " + describe() + " is in progress");
    }
    try {
      c = connection;
      if (c == null && !closed) {
        c = client.connect(LettuceSetup.CODEC, uri);
        c.setTimeout(timeout);
        onConnect.accept(c);
        connection = c;
      }
      if (c == null) {
        throw new IllegalStateException("the Redis store is closed");
      }
      return c;
    } finally {
      connecting.unlock();
    }
  }

  private String describe() {
    return uri.getSocket() != null ? uri.getSocket() : uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> commands() {
    return connection().async();
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    ScanCursor from = ScanCursor.INITIAL;
    if (cursor != null) {
      if (!ClusterScanCursor.isRedisCursor(cursor)) {
        throw new IllegalArgumentException("not a cursor of this store: '" + cursor + "'");
      }
      from = ScanCursor.of(cursor);
    }
    KeyScanCursor<String> page =
        await.result(commands().scan(from, ScanArgs.Builder.matches(pattern).limit(count)));
    return new ScanPage(page.getKeys(), page.isFinished() ? null : page.getCursor());
  }

  @Override
  public long evictedKeys() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c == null || !c.isOpen()) {
      return lastEvicted;
    }
    try {
      lastEvicted = LettuceSetup.evictedKeys(await.result(c.async().info("stats")));
    } catch (RuntimeException e) {
      // Statistics must never fail: keep the last figure while Redis is unreachable.
    }
    return lastEvicted;
  }

  @Override
  public void dropConnection() {
    // Held by a caller making a new connection (so the stuck one is gone already) or by close:
    // either way there is nothing to drop, and a request thread must not wait out a connect.
    if (!connecting.tryLock()) {
      return;
    }
    try {
      StatefulRedisConnection<String, byte[]> c = connection;
      connection = null;
      if (c != null) {
        c.closeAsync();
      }
    } finally {
      connecting.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    connecting.lock();
    try {
      StatefulRedisConnection<String, byte[]> c = connection;
      connection = null;
      if (c != null) {
        c.close();
      }
    } finally {
      connecting.unlock();
      client.shutdown(0, timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
      if (ownedResources != null) {
        ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
  }
}
