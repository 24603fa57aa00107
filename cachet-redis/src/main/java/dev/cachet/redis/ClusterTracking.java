package dev.cachet.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.push.RedisClusterPushListener;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 *       may be answered on it) and stops the copy until it is recognised as a pooled connection
 *       (a master's, or one still open to a node that no longer is) and tracks, or closes (the
 *       topology refresh opens short-lived ones).
 *   <li>A tracked connection that drops empties the whole copy and advances the epoch (which keys
 *       it served is not known); its reconnection is a new session that must acknowledge tracking
 *       before the copy is used again. Closed for good, it is forgotten (a node left the topology).
 *   <li>A topology change (slot moved, failover) empties the copy and advances the epoch. A
 *       {@code MIGRATE} also deletes the key on the source, which pushes its invalidation.
 *   <li>The lease holds for each connection up, renewed by its own {@code CLUSTER NODES} when
 *       the node still serves exactly the slots the client routes to it and migrates none: a
 *       node that has not so answered within the lease (paused, or its slots moved, or it was
 *       failed over) stops the whole copy, and a mismatch empties it and refreshes the topology.
 *       This bounds by the lease what tracking alone cannot see: a key read as absent from a
 *       slot's old master and then written on its new one.
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
  /** Open connections of the client, neither tracked nor the cluster connection: where to. */
  private final Map<Object, SocketAddress> unknown = new IdentityHashMap<>();
  private final AtomicBoolean discovering = new AtomicBoolean();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile @Nullable RedisClusterClient client;
  private volatile long nextDiscovery = System.nanoTime();
  private volatile long nextRefresh = System.nanoTime();
  private volatile @Nullable StatefulRedisClusterConnection<String, byte[]> connection;
  private volatile @Nullable Disposable topologyEvents;

  ClusterTracking(NearCache near) {
    this.near = near;
    near.onUntracked(this::discover);
  }

  /** Listens to every connection {@code client} opens; call before it connects. */
  void register(RedisClusterClient client) {
    this.client = client;
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
    List<SocketAddress> elsewhere = unknownElsewhere();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try {
      for (RedisClusterNode node : c.getPartitions()) {
        RedisURI uri = node.getUri();
        if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)
            && elsewhere.stream().noneMatch(a -> at(a, uri))) {
          continue; // reads and redirects go to masters only
        }
        try {
          pending.add(c.getConnectionAsync(uri.getHost(), uri.getPort()).thenAccept(n -> adopt(n, uri)));
        } catch (RuntimeException notInTopology) {
          // Refused by Lettuce until the topology knows the node: a later round finds it.
        }
      }
    } finally {
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .whenComplete((ok, error) -> discovering.set(false));
    }
  }

  /**
   * Where the unknown connections go, if no topology refresh is running (it may have opened them),
   * and forgets closed members (one closed while down never reports a disconnect again). An unknown
   * connection to a node that is not a master is then a pooled one, opened when it was a master or
   * a redirect's target: it is adopted like a master's, as it may carry reads again (promoted, or
   * by redirect), and would otherwise keep the copy off for good. Counting it as harmless instead
   * would not be safe: the copy is not emptied when the topology promotes a node. Asked for while a
   * refresh runs, the node's pooled connection would be opened for nothing.
   */
  private synchronized List<SocketAddress> unknownElsewhere() {
    members.entrySet().removeIf(
        m -> ((RedisChannelHandler<?, ?>) m.getKey()).isClosed() && forget(m.getValue()));
    RedisClusterClient c = client;
    if (unknown.isEmpty() || refreshing.get() || c == null || c.isTopologyRefreshInProgress()) {
      return List.of();
    }
    List<SocketAddress> open = new ArrayList<>();
    unknown.forEach((h, address) -> {
      if (!((RedisChannelHandler<?, ?>) h).isClosed()) {
        open.add(address);
      }
    });
    return open;
  }

  private boolean forget(TrackedConnection t) {
    near.remove(t);
    return true;
  }

  /** Whether {@code address} is {@code uri}'s host and port (the host as given or resolved). */
  private static boolean at(SocketAddress address, RedisURI uri) {
    return address instanceof InetSocketAddress a && a.getPort() == uri.getPort()
        && (uri.getHost().equals(a.getHostString())
            || a.getAddress() != null && uri.getHost().equals(a.getAddress().getHostAddress()));
  }

  private void adopt(StatefulRedisConnection<String, byte[]> c, RedisURI uri) {
    TrackedConnection t;
    synchronized (this) {
      if (members.containsKey(c) || !c.isOpen()) {
        return;
      }
      AtomicReference<@Nullable String> flushedFor = new AtomicReference<>();
      t = near.track(c, node -> node.async().clusterNodes().thenApply(nodes -> owns(uri, nodes, flushedFor)));
      members.put(c, t);
      near.add(t);
      if (unknown.remove(c) != null) {
        near.unknownConnections(unknown.size());
      }
    }
    t.enable();
  }

  /**
   * Whether the node at {@code uri}, by its own {@code CLUSTER NODES}, serves exactly the slots the
   * client routes to it and migrates none. If not, keys cached from it may since have been
   * written elsewhere (an absent key tracked on a slot's old master, a write to a failed-over
   * master): the lease is not renewed, and the copy is emptied once per distinct answer
   * ({@code flushedFor}: the probe repeats every 100 ms meanwhile, and what is cached since is
   * bounded by the lease this node no longer renews). Only settled slots that differ from the
   * routing refresh the topology, at most once per lease: a refresh cannot end a migration, and
   * each one opens a connection to every node.
   */
  private boolean owns(RedisURI uri, String nodes, AtomicReference<@Nullable String> flushedFor) {
    StatefulRedisClusterConnection<String, byte[]> c = connection;
    String line = ownLine(nodes);
    BitSet reported = line == null ? null : ownSlots(line);
    BitSet routed = c == null ? null : routedTo(c, uri);
    if (reported != null && reported.equals(routed)) {
      flushedFor.set(null);
      return true;
    }
    String answer = line + " / " + routed;
    if (!answer.equals(flushedFor.getAndSet(answer))) {
      near.flush();
    }
    if (reported != null) {
      refreshTopology();
    }
    return false;
  }

  /** The slot fields of the {@code myself} line, or {@code null} if there is none. */
  private static @Nullable String ownLine(String nodes) {
    for (String line : nodes.split("\n")) {
      String[] fields = line.trim().split(" ", 9);
      if (fields.length >= 8 && fields[2].contains("myself")) {
        return fields.length > 8 ? fields[8] : "";
      }
    }
    return null;
  }

  /** The slots {@code ownLine} lists; {@code null} if one is migrating or importing. */
  static @Nullable BitSet ownSlots(String ownLine) {
    BitSet slots = new BitSet(SlotHash.SLOT_COUNT);
    for (String field : ownLine.trim().split(" ")) {
      if (field.isEmpty()) {
        continue;
      }
      if (field.startsWith("[")) {
        return null; // keys of that slot may be written on the other node meanwhile (ASK)
      }
      int dash = field.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? field : field.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(field.substring(dash + 1));
      slots.set(from, to + 1);
    }
    return slots;
  }

  private static BitSet routedTo(StatefulRedisClusterConnection<String, byte[]> c, RedisURI uri) {
    BitSet slots = new BitSet(SlotHash.SLOT_COUNT);
    for (RedisClusterNode node : c.getPartitions()) {
      RedisURI at = node.getUri();
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && at.getPort() == uri.getPort()
          && at.getHost().equals(uri.getHost())) {
        node.getSlots().forEach(slots::set);
      }
    }
    return slots;
  }

  private void refreshTopology() {
    RedisClusterClient c = client;
    long now = System.nanoTime();
    if (c != null && now - nextRefresh >= 0 && refreshing.compareAndSet(false, true)) {
      nextRefresh = now + near.leaseNanos();
      c.refreshPartitionsAsync().whenComplete((ok, error) -> refreshing.set(false));
    }
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
        unknown.put(handler, address);
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
        // Not isOpen(): Lettuce marks every dropped connection inactive before telling listeners.
        // Kept until closed, its reconnection is a new session of a member, not an unknown one.
        if (handler.isClosed()) {
          members.remove(handler);
          near.remove(t);
        }
      } else if (unknown.remove(handler) != null) {
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
