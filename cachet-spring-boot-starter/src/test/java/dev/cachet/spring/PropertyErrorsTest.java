package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetStoreAutoConfiguration;
import dev.cachet.spring.web.CachetWebAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** A property value a builder refuses fails the start naming the property and the value. */
class PropertyErrorsTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  static class Mvc {}

  private static void failsNaming(AbstractApplicationContextRunner<?, ?, ?> runner, String prefix, String reason,
      String... properties) {
    runner.withPropertyValues(properties).run(context -> assertThat(context).hasFailed().getFailure().rootCause()
        .isInstanceOf(IllegalArgumentException.class).message().startsWith(prefix).contains(reason));
  }

  @Test
  void theCachesOwnProperties() {
    failsNaming(runner, "cachet.memory.max-size=-1B: ", "maximumBytes must be positive: -1",
        "cachet.memory.max-size=-1");
    failsNaming(runner, "cachet.default-ttl=PT0S: ", "ttl must be positive", "cachet.default-ttl=0s");
    failsNaming(runner, "cachet.max-wait=PT0S: ", "maxWait must be positive", "cachet.max-wait=0s");
    failsNaming(runner, "cachet.version-ttl=PT0S: ", "versionTtl must be positive", "cachet.version-ttl=0s");
    failsNaming(runner, "cachet.namespace=bad:ns: ", "namespace", "cachet.namespace=bad:ns");
  }

  @Test
  void theRemoteStoresAndTheirFallback() {
    String[] redis = {"cachet.store=redis", "cachet.redis.url=redis://127.0.0.1:1"};
    failsNaming(runner.withPropertyValues(redis), "cachet.redis.command-timeout=PT0S: ", "commandTimeout",
        "cachet.redis.command-timeout=0s");
    failsNaming(runner.withPropertyValues(redis), "cachet.redis.near-cache-max-size=0B: ", "nearCacheMaximumBytes",
        "cachet.redis.near-cache-max-size=0");
    failsNaming(runner.withPropertyValues(redis), "cachet.fallback.max-ttl=PT0S: ", "maxFallbackTtl",
        "cachet.fallback.max-ttl=0s");
    failsNaming(runner.withPropertyValues(redis), "cachet.fallback.max-size=-1B: ", "maximumBytes",
        "cachet.fallback.max-size=-1");
    String[] memcached = {"cachet.store=memcached", "cachet.memcached.servers=127.0.0.1:1"};
    failsNaming(runner.withPropertyValues(memcached), "cachet.memcached.operation-timeout=PT0S: ", "operationTimeout",
        "cachet.memcached.operation-timeout=0s");
    failsNaming(runner, "cachet.memcached.servers=127.0.0.1:x: ", "port", "cachet.store=memcached",
        "cachet.memcached.servers=127.0.0.1:x");
  }

  @Test
  void theWebProperties() {
    WebApplicationContextRunner web = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class, CachetWebAutoConfiguration.class))
        .withUserConfiguration(Mvc.class);
    failsNaming(web, "cachet.http.compression.level=12: ", "level must be in [1, 9] or -1: 12",
        "cachet.http.compression.enabled=true", "cachet.http.compression.level=12");
    failsNaming(web, "cachet.http.max-body-size=0B: ", "maxBodyBytes", "cachet.http.max-body-size=0");
    web.withPropertyValues("cachet.http.ignored-vary-headers=Accept,Accept")
        .run(context -> assertThat(context).hasNotFailed()); // a repeated name is harmless
  }
}
