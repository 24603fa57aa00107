package dev.cachet.redis;

import dev.cachet.store.ScanPage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One connection to a standalone server (or the master a Sentinel names). Thread-safe.
 *
 * <p>With Sentinel, Lettuce asks the Sentinels for the master on every connect and reconnect,
 * but a connection to a master that is still up stays where it is: after a failover that leaves
 * the old master running (a {@code SENTINEL FAILOVER}, a partition that heals), Sentinel demotes
 * it, and so closes its clients, only some 10 s after naming the new master (10 to 11 s with
 * Redis 7.0 in {@code SentinelFailoverIT}). Until then the store would write to the old master
 * (writes lost once it is demoted) and read, and near-cache, values the new master has changed.
 * So the connector subscribes to {@code +switch-master} on every Sentinel and drops its
 * connection as soon as one names a new master for its master name; the next call connects to
 * the master the Sentinels name then. Should every subscription miss the message, Sentinel's
 * demotion of the old master still closes the connection. Lettuce asks the Sentinels in the URI's
 * order, so a reconnect may reach the old master again through a Sentinel that has not heard of
 * the switch yet; that Sentinel announces it in turn once it hears, and the store moves again. A
 * connection already on the announced master is kept. This costs one pub/sub connection per
 * Sentinel, opened with the first connection.
 */
final class StandaloneConnector implements Connector {
  private static final System.Logger LOG = System.getLogger("dev.cachet");
  private static final String SWITCH_MASTER = "+switch-master";

  private final RedisClient client;
  private final RedisURI uri;
  private final Await await;
  private final Duration timeout;
  private final @Nullable ClientResources ownedResources;
  private final Consumer<StatefulRedisConnection<String, byte[]>> onConnect;
  private final LazyConnection<StatefulRedisConnection<String, byte[]>> connection;
  private volatile long lastEvicted;
  /** The run id of the server the connection talks to (the master, with Sentinel). */
  private final ServerIncarnation incarnation;
  /** {@code +switch-master} messages seen for this master: a connect that spans one is dropped. */
  private final AtomicLong masterSwitches = new AtomicLong();
  /** The Sentinels ({@code host:port}) subscribed to, or being subscribed to. */
  private final Set<String> watched = ConcurrentHashMap.newKeySet();
  private final List<StatefulRedisPubSubConnection<String, String>> watchers =
      new CopyOnWriteArrayList<>();
  /** The master the last {@code +switch-master} named, {@code "ip port"}. */
  private volatile @Nullable String announcedMaster;
  /** The server each open connection of the client is connected to, by connection. */
  private final Map<RedisChannelHandler<?, ?>, SocketAddress> peers =
      Collections.synchronizedMap(new WeakHashMap<>());

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
    // Each Sentinel is asked with its own URI's timeout, Lettuce's default minute unless the URI
    // says otherwise: a hung first Sentinel would hold every connect (and the build) that long
    // before the next one is asked.
    for (RedisURI sentinel : uri.getSentinels()) {
      sentinel.setTimeout(settings.connectTimeout());
    }
    this.await = new Await(timeout);
    this.incarnation = new ServerIncarnation(await, timeout, () -> {});
    this.onConnect = onConnect;
    ClientResources shared = settings.clientResources();
    this.ownedResources = shared == null ? LettuceSetup.ownResources() : null;
    this.client = RedisClient.create(shared != null ? shared : ownedResources, uri);
    this.client.setOptions(LettuceSetup.clientOptions(settings));
    this.connection = new LazyConnection<>(this::open, this::describe, timeout);
    if (!uri.getSentinels().isEmpty()) {
      // Every Sentinel announces a switch: a connection already on the new master is kept.
      client.addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
          peers.put(c, address);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
          peers.remove(c);
        }
      });
    }
  }

  /** The connection if one is open or being reconnected by Lettuce; never connects. */
  @Nullable StatefulRedisConnection<String, byte[]> current() {
    return connection.current();
  }

  /**
   * The connection, made now if there is none. One caller connects at a time; the others fail at
   * once instead of queueing behind a slow connect.
   */
  StatefulRedisConnection<String, byte[]> connection() {
    return connection.get();
  }

  private StatefulRedisConnection<String, byte[]> open() {
    watchSentinels();
    long switches = masterSwitches.get();
    StatefulRedisConnection<String, byte[]> c = client.connect(LettuceSetup.CODEC, uri);
    if (masterSwitches.get() != switches && !onAnnouncedMaster(c)) {
      // The Sentinel asked during this connect may have named the old master.
      c.closeAsync();
      throw new RedisConnectionException("the Sentinels named a new master during the connect");
    }
    c.setTimeout(timeout);
    try {
      incarnation.attach(c);
    } catch (RuntimeException e) {
      c.closeAsync();
      throw e;
    }
    onConnect.accept(c);
    return c;
  }

  @Override
  public long incarnation() {
    return incarnation.current();
  }

  @Override
  public long readableIncarnation() {
    return incarnation.readable();
  }

  /**
   * Subscribes, without waiting, to {@code +switch-master} on each Sentinel not yet subscribed
   * to; one that cannot be reached now is tried again on the next connect. Lettuce reconnects and
   * resubscribes a subscription by itself. Runs under the connect lock.
   */
  private void watchSentinels() {
    for (RedisURI sentinel : uri.getSentinels()) {
      String address = sentinel.getHost() + ":" + sentinel.getPort();
      if (!watched.add(address)) {
        continue;
      }
      client.connectPubSubAsync(StringCodec.UTF8, sentinel).whenComplete((c, error) -> {
        if (error != null) {
          watched.remove(address);
          return;
        }
        c.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            // "<master name> <old ip> <old port> <new ip> <new port>"
            if (SWITCH_MASTER.equals(channel)
                && message.startsWith(uri.getSentinelMasterId() + " ")) {
              masterSwitched(message);
            }
          }
        });
        watchers.add(c);
        if (connection.isClosed()) { // made after the client's shutdown closed the others
          closeWatchers();
          return;
        }
        c.async().subscribe(SWITCH_MASTER).whenComplete((ok, failed) -> {
          if (failed != null && watchers.remove(c)) {
            c.closeAsync();
            watched.remove(address);
          }
        });
      });
    }
  }

  private void masterSwitched(String message) {
    String[] parts = message.split(" ");
    if (parts.length < 5) {
      return;
    }
    announcedMaster = parts[3] + " " + parts[4];
    masterSwitches.incrementAndGet();
    if (onAnnouncedMaster(connection.current())) {
      return; // another Sentinel announced it first, and the store reconnected since
    }
    LOG.log(System.Logger.Level.INFO,
        "Cachet Redis store: a Sentinel names a new master (" + message + "); reconnecting");
    dropConnection();
  }

  /** Whether {@code c} is open on the master the last {@code +switch-master} named. */
  private boolean onAnnouncedMaster(@Nullable StatefulRedisConnection<String, byte[]> c) {
    String announced = announcedMaster;
    if (c == null || announced == null || !c.isOpen()) {
      return false;
    }
    if (!(peers.get(c) instanceof InetSocketAddress peer)) {
      return false;
    }
    String port = Integer.toString(peer.getPort());
    return announced.equals(peer.getHostString() + " " + port)
        || (peer.getAddress() != null
            && announced.equals(peer.getAddress().getHostAddress() + " " + port));
  }

  private void closeWatchers() {
    for (StatefulRedisPubSubConnection<String, String> c : watchers) {
      if (watchers.remove(c)) {
        c.closeAsync();
      }
    }
  }

  private String describe() {
    if (!uri.getSentinels().isEmpty()) {
      // A Sentinel URI has no host of its own: name the master and who is asked for it.
      StringBuilder sentinels = new StringBuilder();
      for (RedisURI sentinel : uri.getSentinels()) {
        sentinels.append(sentinels.length() == 0 ? "" : ",")
            .append(sentinel.getHost()).append(':').append(sentinel.getPort());
      }
      return "master " + uri.getSentinelMasterId() + " of Sentinels " + sentinels;
    }
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
    StatefulRedisConnection<String, byte[]> c = connection.current();
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
    connection.drop();
  }

  @Override
  public void close() {
    try {
      connection.close(); // the Sentinel subscriptions are closed with the client
    } finally {
      LettuceSetup.shutdown(client, ownedResources, timeout);
    }
  }
}
