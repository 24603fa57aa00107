package dev.cachet.spring.autoconfigure;

import dev.cachet.memcached.MemcachedStore;
import dev.cachet.redis.RedisStore;
import dev.cachet.store.CacheStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The remote stores: {@code cachet.store=redis} with {@code cachet-redis} on the class path,
 * {@code cachet.store=memcached} with {@code cachet-memcached}. Each is wrapped in a
 * {@link FallbackStore} over a small memory store unless {@code cachet.fallback.enabled=false}.
 * With {@code cachet.enabled=false} no store is built, so nothing connects to a server that
 * nothing would use.
 */
@AutoConfiguration(before = CachetAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "cachet.enabled", matchIfMissing = true)
public class CachetStoreAutoConfiguration {

  static CacheStore withFallback(CacheStore remote, CachetProperties properties) {
    CachetProperties.Fallback fallback = properties.getFallback();
    if (!fallback.isEnabled()) {
      return remote;
    }
    MemoryStore local = MemoryStore.builder().maximumBytes(fallback.getMaxSize().toBytes()).build();
    return FallbackStore.of(remote, local, fallback.getMaxTtl());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RedisStore.class)
  @ConditionalOnProperty(prefix = "cachet", name = "store", havingValue = "redis")
  static class Redis {
    @Bean
    @ConditionalOnMissingBean
    CacheStore cachetRedisStore(CachetProperties properties) {
      CachetProperties.Redis redis = properties.getRedis();
      RedisStore.Builder b = RedisStore.builder().commandTimeout(redis.getCommandTimeout());
      if (redis.getClusterNodes().isEmpty()) {
        b.uri(redis.getUrl())
            .nearCache(redis.isNearCache())
            .nearCacheMaximumBytes(redis.getNearCacheMaxSize().toBytes());
      } else {
        b.cluster(redis.getClusterNodes()).nearCache(false);
      }
      return withFallback(b.build(), properties);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MemcachedStore.class)
  @ConditionalOnProperty(prefix = "cachet", name = "store", havingValue = "memcached")
  static class Memcached {
    @Bean
    @ConditionalOnMissingBean
    CacheStore cachetMemcachedStore(CachetProperties properties) {
      CachetProperties.Memcached memcached = properties.getMemcached();
      return withFallback(
          MemcachedStore.builder()
              .servers(memcached.getServers())
              .operationTimeout(memcached.getOperationTimeout())
              .build(),
          properties);
    }
  }
}
