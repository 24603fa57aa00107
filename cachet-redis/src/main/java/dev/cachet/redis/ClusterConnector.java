package dev.cachet.redis;

import dev.cachet.store.ScanPage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

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
    this.connection = new LazyConnection<>(this::open, () -> "the Redis cluster");
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
   */
  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    ClusterScanCursor at = cursor == null ? null : ClusterScanCursor.parse(cursor);
    StatefulRedisClusterConnection<String, byte[]> c = connection();
    List<String> masters = masters(c);
    if (masters.isEmpty()) {
      throw new RedisConnectionException("the Redis cluster has no master serving slots");
    }
    if (at == null || !masters.contains(at.nodeId())) {
      at = new ClusterScanCursor(masters.get(0), "0");
    }
    KeyScanCursor<String> page =
        await.result(
            node(c, at.nodeId())
                .async()
                .scan(ScanCursor.of(at.cursor()), ScanArgs.Builder.matches(pattern).limit(count)));
    String next;
    if (!page.isFinished()) {
      next = new ClusterScanCursor(at.nodeId(), page.getCursor()).toString();
    } else {
      int index = masters.indexOf(at.nodeId()) + 1;
      next = index < masters.size() ? new ClusterScanCursor(masters.get(index), "0").toString() : null;
    }
    return new ScanPage(page.getKeys(), next);
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
