package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The near cache's lease without a server: a node connection is served from only once it has answered. */
class NearCacheLeaseTest {

  /** A connection that acknowledges CLIENT TRACKING at once and never answers anything else. */
  @SuppressWarnings("unchecked")
  static StatefulRedisConnection<String, ?> acknowledgingTracking() {
    RedisAsyncCommands<String, String> async = (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(
        NearCacheLeaseTest.class.getClassLoader(), new Class<?>[] {RedisAsyncCommands.class},
        (proxy, method, args) -> {
          AsyncCommand<String, String, String> reply =
              new AsyncCommand<>(new Command<>(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8)));
          if (method.getName().equals("clientTracking")) {
            reply.complete("OK");
          }
          return reply;
        });
    return (StatefulRedisConnection<String, ?>) Proxy.newProxyInstance(
        NearCacheLeaseTest.class.getClassLoader(), new Class<?>[] {StatefulRedisConnection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isOpen" -> true;
          case "async" -> async;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /**
   * A cluster node connection's lease is renewed only by its probe ({@code CLUSTER NODES} with the
   * slot check); tracking acknowledged does not renew it. But {@code verifiedAt} starts at ticker
   * time 0, not "never": whenever the ticker reads less than one lease (FakeTicker starts at 1 s;
   * System.nanoTime() is arbitrary by contract, uptime on Linux), a connection that has never
   * answered a probe counts as verified, and its slots as checked.
   */
  @Test
  void aNodeConnectionThatNeverAnsweredAProbeIsNotServedFrom() {
    FakeTicker ticker = new FakeTicker();
    NearCache near = new NearCache(1 << 20, Duration.ofSeconds(2), ticker);
    TrackedConnection node = near.track(acknowledgingTracking(), c -> new CompletableFuture<>());
    near.add(node);
    assertThat(near.covers("n:k")).isTrue(); // a prefix to track
    node.enable();
    assertThat(near.tracking()).isTrue();
    assertThat(near.servable()).as("served although no probe was ever answered").isFalse();
  }
}
