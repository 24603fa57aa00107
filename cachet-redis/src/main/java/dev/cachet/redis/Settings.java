package dev.cachet.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a {@link RedisStoreBuilder} collected, checked and complete. */
record Settings(
    @Nullable RedisURI standalone,
    List<RedisURI> clusterSeeds,
    Duration commandTimeout,
    Duration connectTimeout,
    boolean nearCache,
    long nearCacheMaximumBytes,
    Duration nearCacheLease,
    int failureThreshold,
    Duration openDuration,
    Clock clock,
    Ticker ticker,
    @Nullable ClientResources clientResources,
    @Nullable SslOptions ssl) {

  boolean cluster() {
    return standalone == null;
  }
}
