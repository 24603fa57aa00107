package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.redis.RedisServerProcess;
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
 * Against a real {@code redis-server} with a TLS port whose certificate a private CA (made for the
 * test) signed: a PEM SSL bundle trusting that CA, named by Spring Boot's {@code
 * spring.data.redis.ssl.bundle} or by Cachet's {@code cachet.redis.ssl-bundle}, gets Cachet's
 * entries into that server; the JVM's default trust does not, and the application still starts
 * and answers.
 */
class SpringDataRedisTlsIT {
  private static TestCertificates certs;
  private static RedisServerProcess server;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
          DataRedisAutoConfiguration.class, CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
      .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false");

  @BeforeAll
  static void startServer() {
    certs = TestCertificates.generate();
    server = RedisServerProcess.startTls(certs, "no");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    if (certs != null) {
      certs.close();
    }
  }

  private static String caBundle(String name) {
    return "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + certs.caCertificate();
  }

  @Test
  void springDataRedisSslBundleWithAPrivateCa() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
            "spring.data.redis.ssl.bundle=redis-ca", caBundle("redis-ca"), "cachet.namespace=spring-bundle")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          write(cachet, "greeting", "hello");
          assertThat(server.keys("spring-bundle*")).anyMatch(k -> k.contains("greeting"));
          assertThat(write(cachet, "greeting", "not loaded: a hit")).isEqualTo("hello");
          assertThat(cachet.stats().storeErrors()).isZero();
        });
  }

  @Test
  void cachetRedisSslBundleForARedissCachetUrl() {
    runner.withPropertyValues("cachet.redis.url=rediss://127.0.0.1:" + server.port(),
            "cachet.redis.ssl-bundle=cachet-ca", caBundle("cachet-ca"), "cachet.namespace=cachet-bundle")
        .run(context -> {
          assertThat(context).hasNotFailed();
          write(context.getBean(Cachet.class), "greeting", "hello");
          assertThat(server.keys("cachet-bundle*")).anyMatch(k -> k.contains("greeting"));
        });
  }

  @Test
  void withTheJvmsDefaultTrustTheServerIsNotTrustedAndEveryCallMisses() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
            "spring.data.redis.ssl.enabled=true", "cachet.namespace=default-trust")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Cachet cachet = context.getBean(Cachet.class);
          assertThat(write(cachet, "greeting", "first")).isEqualTo("first");
          assertThat(write(cachet, "greeting", "second")).isEqualTo("second");
          assertThat(cachet.stats().storeErrors()).isPositive();
          assertThat(server.keys("default-trust*")).isEmpty();
        });
  }

  @Test
  void aCachetSslBundleThatDoesNotExistFailsTheStart() {
    runner.withPropertyValues("cachet.redis.url=rediss://127.0.0.1:" + server.port(),
            "cachet.redis.ssl-bundle=missing")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("missing"));
  }

  /** Reads {@code key}, loading {@code value} on a miss, which is then written before the call returns. */
  private static String write(Cachet cachet, String key, String value) {
    return cachet.get(key, Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(5)), () -> value);
  }
}
