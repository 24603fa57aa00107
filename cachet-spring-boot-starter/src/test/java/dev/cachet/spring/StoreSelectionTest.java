package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.memcached.MemcachedStore;
import dev.cachet.redis.RedisStore;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetStoreAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.FallbackStore;
import dev.cachet.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code cachet.store} picks the store; remote stores get a capped memory fallback by default. */
class StoreSelectionTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class));

  @Test
  void memoryByDefault() {
    runner.run(context -> assertThat(context.getBean(CacheStore.class)).isInstanceOf(MemoryStore.class));
  }

  @Test
  void redisBehindAFallback() {
    // Building the store does not need Redis to be up: it connects on first use.
    runner.withPropertyValues("cachet.store=redis", "cachet.redis.url=redis://127.0.0.1:1")
        .run(context -> assertThat(context.getBean(CacheStore.class)).isInstanceOf(FallbackStore.class));
    runner.withPropertyValues("cachet.store=redis", "cachet.redis.url=redis://127.0.0.1:1", "cachet.fallback.enabled=false")
        .run(context -> assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisStore.class));
  }

  @Test
  void clustersGetTheNearCacheUnlessSwitchedOff() {
    String[] cluster = {"cachet.store=redis", "cachet.redis.cluster-nodes=redis://127.0.0.1:1", "cachet.fallback.enabled=false"};
    runner.withPropertyValues(cluster)
        .run(context -> assertThat(context.getBean(RedisStore.class).hasNearCache()).isTrue());
    runner.withPropertyValues(cluster).withPropertyValues("cachet.redis.near-cache=false")
        .run(context -> assertThat(context.getBean(RedisStore.class).hasNearCache()).isFalse());
  }

  @Test
  void memcachedWhenAsked() {
    runner.withPropertyValues("cachet.store=memcached", "cachet.memcached.servers=127.0.0.1:1", "cachet.fallback.enabled=false")
        .run(context -> assertThat(context.getBean(CacheStore.class)).isInstanceOf(MemcachedStore.class));
  }

  @Test
  void badRedisUrlsFailTheStart() {
    runner.withPropertyValues("cachet.store=redis", "cachet.redis.url=http://nope")
        .run(context -> assertThat(context).hasFailed());
  }
}
