package dev.cachet.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.push.RedisClusterPushListener;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * Keeps a {@link NearCache} coherent on a Redis Cluster, where tracking, invalidation pushes and
 * the lease are per node connection.
 *
 * <p>Lettuce sends a keyed command, and follows a MOVED or ASK redirect, on its pooled connection
 * to the master's host and port, and opens such connections by itself (new node, redirect,
 * reconnect). Which connection carried a given read is not known, so the copy is used only while
 * every node connection that is up has {@code CLIENT TRACKING on} acknowledged in its current
 * session, and no connection of the client is open that has not been recognised as one of those:
 *
 * <ul>
 *   <li>Every connection Lettuce opens is seen (a listener on the client) before any reply on it.
 *       A connection not known as a tracked node connection advances the epoch (a read in flight
 *       may be answered on it) and stops the copy until it is recognised among the masters' pooled
 *       connections and tracks, or closes (the topology refresh opens short-lived ones).
 *   <li>A tracked connection that drops empties the whole copy and advances the epoch (which keys
 *       it served is not known); its reconnection is a new session that must acknowledge tracking
 *       before the copy is used again. Closed for good, it is forgotten.
 *   <li>A topology change (slot moved, failover) empties the copy and advances the epoch. A
 *       {@code MIGRATE} also deletes the key on the source, which pushes its invalidation.
 *   <li>The lease holds for each connection up: one that has not answered within it (a paused
 *       master) stops the whole copy.
 * </ul>
 *
 * <p>Invalidation pushes arrive on the node connection that tracked the key and are applied to the
 * copy whichever node sent them. Thread-safe; listener callbacks never block.
 */
final class ClusterTracking implements RedisConnectionStateListener, RedisClusterPushListener, AutoCloseable {
  private static final long DISCOVERY_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final NearCache near;
  /**
   * Tracked node connections, by identity: a Lettuce connection object (the handler its events
   * name) lives across reconnects.
   */
  private final Map<Object, TrackedConnection> members = new IdentityHashMap<>();
  /** Open connections of the client that are neither tracked nor the cluster connection. */
  private final Set<Object> unknown = Collections.newSetFromMap(new IdentityHashMap<>());
  private final AtomicBoolean discovering = new AtomicBoolean();
  private volatile long nextDiscovery = System.nanoTime();
  private volatile @Nullable StatefulRedisClusterConnection<String, byte[]> connection;
  private volatile @Nullable Disposable topologyEvents;

  ClusterTracking(NearCache near) {
    this.near = near;
    near.onUntracked(this::discover);
  }

  NearCache nearCache() {
    return near;
  }

  /** Listens to every connection {@code client} opens; call before it connects. */
  void register(RedisClusterClient client) {
    client.addListener(this);
    topologyEvents = client.getResources().eventBus().get()
        .filter(ClusterTopologyChangedEvent.class::isInstance)
        .subscribe(event -> topologyChanged());
  }

  /** A new cluster connection: hears its pushes and tracks its masters' connections. */
  void connected(StatefulRedisClusterConnection<String, byte[]> c) {
    c.addListener((RedisClusterPushListener) this);
    connection = c;
    nextDiscovery = System.nanoTime();
    discover();
  }

  private void topologyChanged() {
    near.flush();
    nextDiscovery = System.nanoTime();
    discover(); // a new master's connection is tracked before the copy is used again
  }

  /**
   * Opens (or finds) the pooled connection to each master and tracks it; at most one round at a
   * time, and not more often than every 20 ms while a read finds the copy unusable.
   */
  void discover() {
    StatefulRedisClusterConnection<String, byte[]> c = connection;
    long now = System.nanoTime();
    if (c == null || !c.isOpen() || now - nextDiscovery < 0 || !discovering.compareAndSet(false, true)) {
      return;
    }
    nextDiscovery = now + DISCOVERY_INTERVAL_NANOS;
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try {
      for (RedisClusterNode node : c.getPartitions()) {
        if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          continue; // reads and redirects go to masters only
        }
        RedisURI uri = node.getUri();
        try {
          pending.add(c.getConnectionAsync(uri.getHost(), uri.getPort()).thenAccept(this::adopt));
        } catch (RuntimeException notInTopology) {
          // Refused by Lettuce until the topology knows the node: a later round finds it.
        }
      }
    } finally {
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .whenComplete((ok, error) -> discovering.set(false));
    }
  }

  private void adopt(StatefulRedisConnection<String, byte[]> c) {
    TrackedConnection t;
    synchronized (this) {
      if (members.containsKey(c) || !c.isOpen()) {
        return;
      }
      t = near.track(c);
      members.put(c, t);
      near.add(t);
      if (unknown.remove(c)) {
        near.unknownConnections(unknown.size());
      }
    }
    t.enable();
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
    if (handler instanceof StatefulRedisClusterConnection) {
      return; // its own connection carries commands without a key only
    }
    synchronized (this) {
      TrackedConnection t = members.get(handler);
      if (t != null) {
        near.reconnected(t);
      } else {
        unknown.add(handler);
        near.unknownConnections(unknown.size());
      }
    }
    discover();
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
    synchronized (this) {
      TrackedConnection t = members.get(handler);
      if (t != null) {
        near.lost(t);
        if (!handler.isOpen()) {
          members.remove(handler);
          near.remove(t);
        }
      } else if (unknown.remove(handler)) {
        near.unknownConnections(unknown.size());
      }
    }
  }

  @Override
  public void onPushMessage(RedisClusterNode node, PushMessage message) {
    near.onPushMessage(message);
  }

  @Override
  public void close() {
    Disposable d = topologyEvents;
    if (d != null) {
      d.dispose();
    }
    near.suspend();
  }
}
