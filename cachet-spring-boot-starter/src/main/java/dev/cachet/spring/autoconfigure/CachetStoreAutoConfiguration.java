package dev.cachet.spring.autoconfigure;

import static dev.cachet.spring.internal.PropertyErrors.naming;

import dev.cachet.memcached.MemcachedStore;
import dev.cachet.memcached.MemcachedStoreBuilder;
import dev.cachet.redis.RedisStore;
import dev.cachet.redis.RedisStoreBuilder;
import dev.cachet.store.CacheStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The remote stores: {@code cachet.store=redis} with {@code cachet-redis} on the class path,
 * {@code cachet.store=memcached} with {@code cachet-memcached}. Each is wrapped in a
 * {@link FallbackStore} over a small memory store unless {@code cachet.fallback.enabled=false}.
 * Redis is the server {@code cachet.redis.url} or {@code cachet.redis.cluster-nodes} names; when
 * neither is set, the one Spring Boot's Redis connection names ({@code spring.data.redis.*} or a
 * service connection, with {@code spring-boot-data-redis}); else {@code redis://localhost:6379}.
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
    MemoryStore local = naming("cachet.fallback.max-size", fallback.getMaxSize(),
        () -> MemoryStore.builder().maximumBytes(fallback.getMaxSize().toBytes())).build();
    return naming("cachet.fallback.max-ttl", fallback.getMaxTtl(),
        () -> FallbackStore.of(remote, local, fallback.getMaxTtl()));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RedisStore.class)
  @ConditionalOnProperty(prefix = "cachet", name = "store", havingValue = "redis")
  static class Redis {
    /**
     * The Redis store, connected as {@link RedisConnection#choose} says: Cachet's own {@code
     * cachet.redis.*} first, then Spring Boot's Redis connection, then the local default; its TLS
     * trust and keys from {@code cachet.redis.ssl-bundle} when set, else from Spring Boot's
     * connection when that is used.
     */
    @Bean
    @ConditionalOnMissingBean
    CacheStore cachetRedisStore(CachetProperties properties, ObjectProvider<SpringRedisConnection> spring,
        ObjectProvider<SslBundles> sslBundles) {
      CachetProperties.Redis redis = properties.getRedis();
      RedisConnection connection = RedisConnection.choose(redis, () -> {
        SpringRedisConnection source = spring.getIfAvailable();
        return source == null ? null : source.get();
      });
      String bundle = redis.getSslBundle();
      if (bundle != null && !bundle.isBlank()) {
        SslBundles bundles = sslBundles.getIfAvailable();
        if (bundles == null) {
          throw new IllegalStateException("cachet.redis.ssl-bundle names '" + bundle
              + "' but the application has no SSL bundles (spring.ssl.bundle.*)");
        }
        connection = connection.withSsl(SslBundleOptions.of(bundles.getBundle(bundle.strip())));
      }
      RedisStoreBuilder b = naming("cachet.redis.command-timeout", redis.getCommandTimeout(),
          () -> RedisStore.builder().commandTimeout(redis.getCommandTimeout()));
      return withFallback(connection.applyTo(b, redis).build(), properties);
    }

    /**
     * Reads Spring Boot's {@code DataRedisConnectionDetails} (and, for TLS, the scheme of {@code
     * spring.data.redis.url}) when the application has {@code spring-boot-data-redis}. The
     * condition names the class as a string and only this class and
     * {@link SpringBootRedisConnection} refer to it, so without the module nothing loads it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
    static class FromSpringBoot {
      @Bean
      @ConditionalOnMissingBean
      SpringRedisConnection cachetSpringRedisConnection(
          ObjectProvider<DataRedisConnectionDetails> details, ObjectProvider<DataRedisProperties> properties) {
        // Read when the store is built, and only when cachet.redis.* names no server.
        return () -> {
          DataRedisConnectionDetails d = details.getIfAvailable();
          if (d == null) {
            return null;
          }
          DataRedisProperties p = properties.getIfAvailable();
          return SpringBootRedisConnection.of(d, p == null ? null : p.getUrl());
        };
      }
    }
  }

  /**
   * Spring Boot's Redis connection as Cachet's store would use it; {@code null} when the
   * application has no Redis connection details.
   */
  @FunctionalInterface
  interface SpringRedisConnection {
    @Nullable RedisConnection get();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MemcachedStore.class)
  @ConditionalOnProperty(prefix = "cachet", name = "store", havingValue = "memcached")
  static class Memcached {
    @Bean
    @ConditionalOnMissingBean
    CacheStore cachetMemcachedStore(CachetProperties properties) {
      CachetProperties.Memcached memcached = properties.getMemcached();
      MemcachedStoreBuilder b = MemcachedStore.builder();
      naming("cachet.memcached.servers", memcached.getServers(), () -> b.servers(memcached.getServers()));
      naming("cachet.memcached.operation-timeout", memcached.getOperationTimeout(),
          () -> b.operationTimeout(memcached.getOperationTimeout()));
      return withFallback(b.build(), properties);
    }
  }
}
