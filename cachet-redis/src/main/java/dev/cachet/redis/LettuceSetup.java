package dev.cachet.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Lettuce configuration of a cache store, in one place.
 *
 * <ul>
 *   <li>Commands are rejected at once while disconnected rather than queued: a cache must not
 *       make callers wait for a reconnect, and a queue would grow without bound in an outage.
 *   <li>Commands carry no timer of their own: every reply is awaited through {@link Await}, which
 *       gives up and cancels the command past the command timeout, so Lettuce's per-command
 *       timeout task ({@code TimeoutOptions}), which a cache hit would pay for on every command,
 *       is left off. The few commands that are not awaited bound themselves
 *       ({@code NearCache}).
 *   <li>TCP keep-alive is on, so a silently dead peer is noticed even without traffic.
 *   <li>On resources the store owns, flushes are consolidated: the commands of concurrent callers
 *       leave in one socket write (about 10x fewer write system calls at 32 callers,
 *       {@code ConsolidatedFlushesIT}), which also lets Redis read and answer them in one go.
 *   <li>RESP3 when the near cache is on: invalidation pushes arrive on the command connection
 *       (on a cluster, on each node connection).
 *   <li>Cluster: the topology is refreshed periodically and on MOVED/ASK, reconnects and failovers.
 *   <li>TLS trust and client keys, when given, are the same for every connection: a standalone
 *       server, the Sentinels and the master they name, every cluster node.
 *   <li>Reads go to masters only: replicas lag, and a lagging version read is a stale hit.
 * </ul>
 */
final class LettuceSetup {
  static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final TimeoutOptions NO_COMMAND_TIMER =
      TimeoutOptions.builder().timeoutCommands(false).build();

  /**
   * Commands written by many request threads at once leave in one socket write: without this,
   * every command is flushed (one {@code write} syscall for the client and one {@code read} for
   * Redis) on its own.
   */
  static final NettyCustomizer CONSOLIDATED_FLUSHES = new NettyCustomizer() {
    @Override
    public void afterChannelInitialized(Channel channel) {
      channel.pipeline().addFirst(new FlushConsolidationHandler(
          FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
  };

  private LettuceSetup() {}

  /** Resources owned by one store: reconnects back off with jitter, at most 1 s apart. */
  static ClientResources ownResources() {
    return DefaultClientResources.builder()
        .reconnectDelay(
            Delay.fullJitter(Duration.ofMillis(2), Duration.ofSeconds(1), 4, TimeUnit.MILLISECONDS))
        .nettyCustomizer(CONSOLIDATED_FLUSHES)
        .build();
  }

  /** Shuts {@code client} down, and the resources the store owns, if any. */
  static void shutdown(
      AbstractRedisClient client, @Nullable ClientResources owned, Duration commandTimeout) {
    try {
      client.shutdown(0, commandTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } finally {
      if (owned != null) {
        owned.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
  }

  private static SocketOptions socketOptions(Settings s) {
    return SocketOptions.builder().connectTimeout(s.connectTimeout()).keepAlive(true).build();
  }

  static ClientOptions clientOptions(Settings s) {
    ClientOptions.Builder b =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(NO_COMMAND_TIMER)
            .socketOptions(socketOptions(s));
    if (s.nearCache()) {
      b.protocolVersion(ProtocolVersion.RESP3);
    }
    if (s.ssl() != null) {
      b.sslOptions(s.ssl()); // also used for the Sentinels of a rediss-sentinel:// URI
    }
    return b.build();
  }

  static ClusterClientOptions clusterOptions(Settings s) {
    ClusterClientOptions.Builder b = ClusterClientOptions.builder();
    if (s.nearCache()) {
      b.protocolVersion(ProtocolVersion.RESP3); // every node connection, including later ones
    }
    if (s.ssl() != null) {
      b.sslOptions(s.ssl()); // every node connection, including later ones
    }
    return b
        .autoReconnect(true)
        .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(NO_COMMAND_TIMER)
        .socketOptions(socketOptions(s))
        .topologyRefreshOptions(
            ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .enableAllAdaptiveRefreshTriggers()
                .build())
        .build();
  }

  /** {@code evicted_keys} of an {@code INFO stats} reply; {@code 0} if absent. */
  static long evictedKeys(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("evicted_keys:")) {
        try {
          return Long.parseLong(line.substring("evicted_keys:".length()).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
