package dev.cachet.redis;

import dev.cachet.store.CacheStore;
import dev.cachet.store.CacheStoreContract;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on one standalone server, through the near cache (the default). */
class StandaloneContractIT extends CacheStoreContract {
  static RedisServerProcess server;
  static ClientResources resources;

  @BeforeAll
  static void startServer() {
    server = RedisServerProcess.start();
    resources = DefaultClientResources.builder().nettyCustomizer(RedisStore.consolidatedFlushes()).build();
  }

  @AfterAll
  static void stopServer() {
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    server.close();
  }

  @Override
  protected CacheStore newStore() {
    return RedisStore.builder()
        .uri(server.uri())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(resources)
        .build();
  }
}
