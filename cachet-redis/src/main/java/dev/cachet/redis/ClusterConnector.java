package dev.cachet.redis;

import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.ScanPage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * One cluster connection. Lettuce routes each command by its key's slot, splits a multi-slot
 * {@code MGET} into one {@code MGET} per slot sent at once, follows MOVED/ASK and refreshes the
 * topology. Scans and statistics visit every master. Thread-safe.
 */
final class ClusterConnector implements Connector {
  private final RedisClusterClient client;
  private final Await await;
  private final Duration timeout;
  private final @Nullable ClientResources ownedResources;
  private final @Nullable ClusterTracking tracking;
  private final LazyConnection<StatefulRedisClusterConnection<String, byte[]>> connection;
  private volatile long lastEvicted;
  /** The run id of each master serving slots, by node id ({@link #trackMasters}). */
  private final Map<String, ServerIncarnation> incarnations = new ConcurrentHashMap<>();
  private volatile long incarnation;
  /** Set by a topology change: the masters are tracked again before the next read. */
  private volatile boolean mastersChanged = true;
  private final Disposable topologyEvents;

  /**
   * @param tracking keeps the near cache coherent on every node connection; {@code null} without
   *     a near cache
   */
  ClusterConnector(Settings settings, @Nullable ClusterTracking tracking) {
    this.tracking = tracking;
    this.timeout = settings.commandTimeout();
    this.await = new Await(timeout);
    for (RedisURI seed : settings.clusterSeeds()) {
      // Bounds each node connection's handshake; commands are bounded by TimeoutOptions.
      seed.setTimeout(settings.connectTimeout());
    }
    ClientResources shared = settings.clientResources();
    this.ownedResources = shared == null ? LettuceSetup.ownResources() : null;
    this.client =
        RedisClusterClient.create(shared != null ? shared : ownedResources, settings.clusterSeeds());
    this.client.setOptions(LettuceSetup.clusterOptions(settings));
    if (tracking != null) {
      tracking.register(client);
    }
    this.connection = new LazyConnection<>(this::open, () -> "the Redis cluster", timeout);
    this.topologyEvents = client.getResources().eventBus().get()
        .filter(ClusterTopologyChangedEvent.class::isInstance)
        .subscribe(event -> mastersChanged = true);
  }

  StatefulRedisClusterConnection<String, byte[]> connection() {
    return connection.get();
  }

  private StatefulRedisClusterConnection<String, byte[]> open() {
    StatefulRedisClusterConnection<String, byte[]> c = client.connect(LettuceSetup.CODEC);
    c.setTimeout(timeout);
    if (tracking != null) {
      tracking.connected(c);
    }
    mastersChanged = true;
    try {
      trackMasters(c);
    } catch (RuntimeException e) {
      // A master that does not answer now is asked by the next read, which fails until it has.
    }
    return c;
  }

  @Override
  public RedisClusterAsyncCommands<String, byte[]> commands() {
    return connection().async();
  }

  /** Node ids of the masters that serve slots, in a stable order. */
  private List<String> masters(StatefulRedisClusterConnection<String, byte[]> c) {
    List<String> ids = new ArrayList<>();
    for (RedisClusterNode node : c.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
        ids.add(node.getNodeId());
      }
    }
    ids.sort(null);
    return ids;
  }

  /**
   * The pooled connection to the node's host and port: the one keyed commands use, so the near
   * cache tracks it already (a connection by node id would be one more to track).
   */
  private StatefulRedisConnection<String, byte[]> node(
      StatefulRedisClusterConnection<String, byte[]> c, String nodeId) {
    RedisClusterNode node = c.getPartitions().getPartitionByNodeId(nodeId);
    if (node == null) {
      throw new RedisConnectionException("cluster node " + nodeId + " is no longer known");
    }
    try {
      return c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisConnectionException("interrupted while connecting to node " + nodeId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new RedisConnectionException("cannot connect to cluster node " + nodeId, e);
    }
  }

  /**
   * Scans one master per call, in node-id order. When the cursor's node no longer serves slots
   * (failover, resharding) the scan starts over from the first master: keys may then be listed
   * twice, but none present throughout the scan is missed.
   *
   * <p>A slot that moves during the scan from a master not yet scanned to one already scanned
   * ({@code redis-cli --cluster reshard} moves slots one by one) would carry its keys past the
   * scan unseen. So the scan reads the slot layout ({@link ClusterLayout}: each master's own
   * {@code CLUSTER NODES} line, asked of all masters at once) when it starts and again when its
   * last master is done; a layout that changed, or one with a slot still moving, ends the scan
   * with {@link IncompleteScanException} instead of a last page. That is two reads per scan,
   * none per page.
   */
  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    ClusterScanCursor at = cursor == null ? null : ClusterScanCursor.parse(cursor);
    StatefulRedisClusterConnection<String, byte[]> c = connection();
    List<String> masters = masters(c);
    if (at == null || !masters.contains(at.nodeId())) {
      ClusterLayout start = layout(c, masters);
      if (!start.settled()) {
        // This client may not know every master yet (a slot moved to one it has not heard of):
        // ask the cluster once. A slot that is being moved stays so; the end of the scan sees it.
        client.refreshPartitions();
        masters = masters(c);
        start = layout(c, masters);
      }
      at = new ClusterScanCursor(masters.get(0), "0", start.fingerprint());
    }
    KeyScanCursor<String> page =
        await.result(
            node(c, at.nodeId())
                .async()
                .scan(ScanCursor.of(at.cursor()), ScanArgs.Builder.matches(pattern).limit(count)));
    String next;
    if (!page.isFinished()) {
      next = new ClusterScanCursor(at.nodeId(), page.getCursor(), at.layout()).toString();
    } else {
      int index = masters.indexOf(at.nodeId()) + 1;
      if (index < masters.size()) {
        next = new ClusterScanCursor(masters.get(index), "0", at.layout()).toString();
      } else {
        ClusterLayout end = layout(c, masters);
        if (end.fingerprint() != at.layout() || !end.settled()) {
          throw new IncompleteScanException("the Redis cluster's slot layout "
              + (end.settled() ? "changed" : "was changing (a slot migrating)")
              + " during the scan, so keys of a moved slot may have been missed");
        }
        next = null;
      }
    }
    return new ScanPage(page.getKeys(), next);
  }

  /**
   * The slot layout that {@code masters} state, asked of all of them before any reply is awaited.
   *
   * @throws RedisConnectionException when there are no masters or one does not answer
   */
  private ClusterLayout layout(StatefulRedisClusterConnection<String, byte[]> c, List<String> masters) {
    if (masters.isEmpty()) {
      throw new RedisConnectionException("the Redis cluster has no master serving slots");
    }
    List<RedisFuture<String>> replies = new ArrayList<>(masters.size());
    for (String nodeId : masters) {
      replies.add(node(c, nodeId).async().clusterNodes());
    }
    List<String> texts = new ArrayList<>(masters.size());
    for (RedisFuture<String> reply : replies) {
      texts.add(await.result(reply));
    }
    return ClusterLayout.of(texts);
  }

  /**
   * The run ids of the masters, by node id, as one number: a master restarted (perhaps from its
   * own snapshot) or a replica promoted changes it. {@code 0} before the first connect.
   */
  @Override
  public long incarnation() {
    return incarnation;
  }

  /**
   * As {@link Connector#readableIncarnation()}: every master's run id must be known, since a read
   * whose keys live on several masters, or a hit whose versions do, is answered by several.
   */
  @Override
  public long readableIncarnation() {
    if (mastersChanged) {
      trackMasters(connection());
    }
    for (ServerIncarnation master : incarnations.values()) {
      master.readable();
    }
    return incarnation;
  }

  /**
   * Follows the run id of each master on the pooled connection keyed commands use, asking each
   * new master now; forgets masters that no longer serve slots.
   *
   * @throws io.lettuce.core.RedisException when a new master does not answer (asked again by
   *     the next read)
   */
  private void trackMasters(StatefulRedisClusterConnection<String, byte[]> c) {
    synchronized (incarnations) {
      mastersChanged = false;
      List<String> masters = masters(c);
      incarnations.keySet().retainAll(masters);
      try {
        for (String nodeId : masters) {
          if (!incarnations.containsKey(nodeId)) {
            ServerIncarnation master = new ServerIncarnation(await, timeout, this::combine);
            master.attach(node(c, nodeId));
            incarnations.put(nodeId, master);
          }
        }
      } catch (RuntimeException e) {
        mastersChanged = true;
        throw e;
      } finally {
        combine();
      }
    }
  }

  /** Recomputes {@link #incarnation} from the masters' run ids, in node-id order. */
  private void combine() {
    long combined = 0;
    for (Map.Entry<String, ServerIncarnation> master : new TreeMap<>(incarnations).entrySet()) {
      combined = (combined ^ master.getKey().hashCode()) * 0x9E3779B97F4A7C15L;
      combined = (combined ^ master.getValue().current()) * 0x9E3779B97F4A7C15L;
    }
    incarnation = combined == 0 ? 1 : combined;
  }

  @Override
  public long evictedKeys() {
    StatefulRedisClusterConnection<String, byte[]> c = connection.current();
    if (c == null || !c.isOpen()) {
      return lastEvicted;
    }
    try {
      long sum = 0;
      for (String nodeId : masters(c)) {
        sum += LettuceSetup.evictedKeys(await.result(node(c, nodeId).async().info("stats")));
      }
      lastEvicted = sum;
    } catch (RuntimeException e) {
      // Statistics must never fail: keep the last figure while a node is unreachable.
    }
    return lastEvicted;
  }

  @Override
  public void dropConnection() {
    connection.drop();
  }

  @Override
  public void close() {
    topologyEvents.dispose();
    try {
      connection.close();
    } finally {
      if (tracking != null) {
        tracking.close();
      }
      LettuceSetup.shutdown(client, ownedResources, timeout);
    }
  }
}
