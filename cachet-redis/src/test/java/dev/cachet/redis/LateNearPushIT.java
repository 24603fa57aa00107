package dev.cachet.redis;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LateNearPushCases} on a standalone server. */
class LateNearPushIT extends LateNearPushCases {
  @RegisterExtension static final SharedRedis redis = new SharedRedis();

  @Override
  RedisStore store() {
    RedisStore store = RedisStore.builder()
        .uri(redis.server.uri())
        .commandTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5))
        .clientResources(redis.resources)
        .build();
    Poll.until(BOUND, "client tracking on", () -> {
      store.get("warm-up"); // the first read enables tracking
      return store.nearCache().tracking();
    });
    return store;
  }
}
