package dev.cachet.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@code redis-server} for a test class, the Lettuce resources its stores share (with
 * consolidated flushes, as a store's own resources have) and an admin connection to inspect it.
 * Register it as a static {@code @RegisterExtension} field; the fields are set before the first
 * test and closed after the last.
 */
final class SharedRedis implements BeforeAllCallback, AfterAllCallback {
  RedisServerProcess server;
  ClientResources resources;
  RedisAdmin admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServerProcess.start();
    resources = sharedResources();
    admin = new RedisAdmin(server);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    admin.close();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    server.close();
  }

  /** Lettuce resources for the stores of a test class, with consolidated flushes. */
  static ClientResources sharedResources() {
    return DefaultClientResources.builder().nettyCustomizer(RedisStore.consolidatedFlushes()).build();
  }

  /** A store of the server on the shared resources: 1 s command and 5 s connect timeouts. */
  RedisStoreBuilder storeBuilder() {
    return storeBuilder(Duration.ofSeconds(1));
  }

  /** A store of the server on the shared resources, with {@code commandTimeout}. */
  RedisStoreBuilder storeBuilder(Duration commandTimeout) {
    return RedisStore.builder()
        .uri(server.uri())
        .commandTimeout(commandTimeout)
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(resources);
  }
}
