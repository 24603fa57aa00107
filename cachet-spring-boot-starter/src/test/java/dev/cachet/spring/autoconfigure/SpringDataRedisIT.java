package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.redis.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Against real servers: an application that configured Redis for Spring Boot only
 * ({@code spring.data.redis.port}) gets Cachet's entries in that server; one that also sets
 * {@code cachet.redis.url} gets them in Cachet's server, and none in Spring's. Spring's username
 * reaches Redis as it is, a colon included.
 */
class SpringDataRedisIT {
  private static RedisServerProcess springRedis;
  private static RedisServerProcess cachetRedis;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          DataRedisAutoConfiguration.class, CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
      .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false");

  @BeforeAll
  static void startServers() {
    // Also on IPv6 loopback when the machine has it: Spring's default host, localhost, may be ::1.
    springRedis = RedisServerProcess.start("--bind", "127.0.0.1 -::1");
    cachetRedis = RedisServerProcess.start("--bind", "127.0.0.1 -::1");
  }

  @AfterAll
  static void stopServers() {
    if (springRedis != null) {
      springRedis.close();
    }
    if (cachetRedis != null) {
      cachetRedis.close();
    }
  }

  @Test
  void onlySpringDataRedisPortIsSetAndTheEntryLandsInThatServer() {
    runner.withPropertyValues("spring.data.redis.port=" + springRedis.port(), "cachet.namespace=from-spring")
        .run(context -> {
          assertThat(context).hasNotFailed();
          write(context.getBean(Cachet.class), "greeting");
          assertThat(springRedis.keys("from-spring*")).anyMatch(k -> k.contains("greeting"));
          assertThat(cachetRedis.keys("from-spring*")).isEmpty();
        });
  }

  @Test
  void cachetRedisUrlWinsOverSpringDataRedis() {
    runner.withPropertyValues("spring.data.redis.port=" + springRedis.port(), "cachet.namespace=from-cachet",
            "cachet.redis.url=redis://127.0.0.1:" + cachetRedis.port())
        .run(context -> {
          assertThat(context).hasNotFailed();
          write(context.getBean(Cachet.class), "greeting");
          assertThat(cachetRedis.keys("from-cachet*")).anyMatch(k -> k.contains("greeting"));
          assertThat(springRedis.keys("from-cachet*")).isEmpty();
        });
  }

  @Test
  void anAclUserWhoseNameHoldsAColonIsAuthenticated() {
    // Such a name cannot go in a redis:// URI's user info, which splits at the first colon.
    assertThat(springRedis.cli("ACL", "SETUSER", "team:writer", "on", ">pw", "~*", "&*", "+@all"))
        .isEqualTo("OK\n");
    runner.withPropertyValues("spring.data.redis.port=" + springRedis.port(), "cachet.namespace=acl-user",
            "spring.data.redis.username=team:writer", "spring.data.redis.password=pw")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          write(cachet, "greeting");
          assertThat(springRedis.keys("acl-user*")).anyMatch(k -> k.contains("greeting"));
          assertThat(cachet.stats().storeErrors()).isZero();
        });
  }

  /** A miss: the loaded value is written to the store before the call returns. */
  private static void write(Cachet cachet, String key) {
    assertThat(cachet.get(key, Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(5)), () -> "hello"))
        .isEqualTo("hello");
  }
}
