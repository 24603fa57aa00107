package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.redis.SentinelGroup;
import dev.cachet.redis.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Against a real Sentinel-managed master that speaks TLS only, on every link (master, replica and
 * two Sentinels, {@link SentinelGroup#startTls}, certificates of a private CA made for the test):
 * a PEM SSL bundle trusting that CA, named by Cachet's {@code cachet.redis.ssl-bundle} for a
 * {@code rediss-sentinel://} {@code cachet.redis.url} or by Spring Boot's {@code
 * spring.data.redis.ssl.bundle} for its {@code spring.data.redis.sentinel.*}, gets Cachet's
 * entries into the master the Sentinels name; the JVM's default trust does not, and the
 * application still starts and answers.
 */
class SpringDataRedisSentinelTlsIT {
  private static TestCertificates certs;
  private static SentinelGroup group;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
          DataRedisAutoConfiguration.class, CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
      .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false");

  @BeforeAll
  static void startGroup() {
    certs = TestCertificates.generate();
    group = SentinelGroup.startTls(2, certs, false); // nothing here fails over
  }

  @AfterAll
  static void stopGroup() {
    if (group != null) {
      group.close();
    }
    if (certs != null) {
      certs.close();
    }
  }

  private static String caBundle(String name) {
    return "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + certs.caCertificate();
  }

  @Test
  void cachetRedisSslBundleForARedissSentinelCachetUrl() {
    assertThat(group.uri()).startsWith("rediss-sentinel://");
    runner.withPropertyValues("cachet.redis.url=" + group.uri(), "cachet.redis.ssl-bundle=cachet-ca",
            caBundle("cachet-ca"), "cachet.namespace=sentinel-cachet-bundle")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          write(cachet, "greeting", "hello");
          assertThat(group.currentMaster().keys("sentinel-cachet-bundle*")).anyMatch(k -> k.contains("greeting"));
          assertThat(write(cachet, "greeting", "not loaded: a hit")).isEqualTo("hello");
          assertThat(cachet.stats().storeErrors()).isZero();
        });
  }

  @Test
  void springDataRedisSentinelWithItsSslBundle() {
    runner.withPropertyValues("spring.data.redis.sentinel.master=" + SentinelGroup.NAME,
            "spring.data.redis.sentinel.nodes=" + group.sentinelNodes(),
            "spring.data.redis.ssl.bundle=redis-ca", caBundle("redis-ca"), "cachet.namespace=sentinel-spring-bundle")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          write(cachet, "greeting", "hello");
          assertThat(group.currentMaster().keys("sentinel-spring-bundle*")).anyMatch(k -> k.contains("greeting"));
          assertThat(write(cachet, "greeting", "not loaded: a hit")).isEqualTo("hello");
          assertThat(cachet.stats().storeErrors()).isZero();
        });
  }

  @Test
  void withTheJvmsDefaultTrustTheSentinelsAreNotTrustedAndEveryCallMisses() {
    runner.withPropertyValues("spring.data.redis.sentinel.master=" + SentinelGroup.NAME,
            "spring.data.redis.sentinel.nodes=" + group.sentinelNodes(),
            "spring.data.redis.ssl.enabled=true", "cachet.namespace=sentinel-default-trust")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          assertThat(write(cachet, "greeting", "first")).isEqualTo("first");
          assertThat(write(cachet, "greeting", "second")).isEqualTo("second");
          assertThat(cachet.stats().storeErrors()).isPositive();
          assertThat(group.currentMaster().keys("sentinel-default-trust*")).isEmpty();
        });
  }

  /** Reads {@code key}, loading {@code value} on a miss, which is then written before the call returns. */
  private static String write(Cachet cachet, String key, String value) {
    return cachet.get(key, Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(5)), () -> value);
  }
}
