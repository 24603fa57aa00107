package dev.cachet.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code redis-server} for a test class, the Lettuce resources its stores share (with
 * consolidated flushes, as a store's own resources have) and an admin connection to inspect it.
 */
final class SharedRedis implements AutoCloseable {
  final RedisServerProcess server;
  final ClientResources resources;
  final RedisAdmin admin;

  private SharedRedis() {
    server = RedisServerProcess.start();
    resources = DefaultClientResources.builder().nettyCustomizer(RedisStore.consolidatedFlushes()).build();
    admin = new RedisAdmin(server);
  }

  static SharedRedis start() {
    return new SharedRedis();
  }

  @Override
  public void close() {
    admin.close();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    server.close();
  }
}
