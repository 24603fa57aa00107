package dev.cachet.redis;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LateNearPushCases} on a standalone server. */
class LateNearPushIT extends LateNearPushCases {
  @RegisterExtension static final SharedRedis redis = new SharedRedis();

  @Override
  RedisStore store() {
    return NearCacheTracking.awaited(redis.storeBuilder(Duration.ofSeconds(2)).build(), BOUND, ns + ":");
  }
}
