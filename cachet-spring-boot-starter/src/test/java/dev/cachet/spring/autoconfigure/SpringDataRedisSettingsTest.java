package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.RedisStore;
import dev.cachet.store.CacheStore;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * With {@code cachet.store=redis} and no {@code cachet.redis.url}/{@code cluster-nodes}, the
 * store takes Spring Boot's Redis connection; Cachet's own settings win whenever they are set.
 * Building a store does not connect, so none of these needs a server.
 */
class SpringDataRedisSettingsTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          DataRedisAutoConfiguration.class, CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
      .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false");

  /** Spring Boot's settings that Cachet cannot use: they fail the start when Cachet reads them. */
  private static final String[] UNUSABLE_SPRING_SETTINGS = {
      "spring.data.redis.masterreplica.nodes=127.0.0.1:1,127.0.0.1:2"};

  @Test
  void springHostPortPasswordAndDatabaseWhenCachetsAreUnset() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.2", "spring.data.redis.port=6390",
            "spring.data.redis.username=app", "spring.data.redis.password=s3cret", "spring.data.redis.database=4")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisStore.class);
          assertThat(uri(context)).isEqualTo("app:s3cret@127.0.0.2:6390/4");
          assertThat(springConnection(context).ssl()).isNull();
        });
  }

  @Test
  void springUrlIsReadThroughTheConnectionDetails() {
    runner.withPropertyValues("spring.data.redis.url=rediss://:pw@cache.internal:6400/2")
        .run(context -> assertThat(uri(context)).isEqualTo("tls :pw@cache.internal:6400/2"));
  }

  @Test
  void springSslEnabledGivesATlsUri() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.2", "spring.data.redis.ssl.enabled=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(uri(context)).isEqualTo("tls 127.0.0.2:6379/0");
          assertThat(springConnection(context).ssl()).isNotNull(); // the system default bundle's trust
        });
  }

  @Test
  void springSentinel() {
    runner.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
            "spring.data.redis.sentinel.nodes=127.0.0.2:26379,127.0.0.3:26380",
            "spring.data.redis.password=pw", "spring.data.redis.database=1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(uri(context))
              .isEqualTo(":pw@127.0.0.2:26379,127.0.0.3:26380/1 master mymaster");
        });
  }

  @Test
  void springCluster() {
    runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.2:7000,127.0.0.3:7001")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisStore.class);
          assertThat(springConnection(context).clusterNodes()).extracting(SpringDataRedisSettingsTest::describe)
              .containsExactly("127.0.0.2:7000/0", "127.0.0.3:7001/0");
        });
  }

  @Test
  void springSettingsCachetCannotUseFailTheStartWithTheReason() {
    runner.withPropertyValues(UNUSABLE_SPRING_SETTINGS).run(context -> assertThat(context)
        .getFailure().rootCause().hasMessageContaining("master/replica").hasMessageContaining("cachet.redis.url"));
  }

  @Test
  void explicitCachetUrlWinsOverSpring() {
    // Spring's setting would fail the start if it were read; Cachet's URL means it is not.
    runner.withPropertyValues(UNUSABLE_SPRING_SETTINGS)
        .withPropertyValues("cachet.redis.url=redis://127.0.0.1:1")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisStore.class));
    // And a bad Cachet URL fails the start although Spring's settings are good: it was the one used.
    runner.withPropertyValues("spring.data.redis.host=127.0.0.2", "cachet.redis.url=http://nope")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void explicitCachetClusterNodesWinOverSpring() {
    runner.withPropertyValues(UNUSABLE_SPRING_SETTINGS)
        .withPropertyValues("cachet.redis.cluster-nodes=redis://127.0.0.1:1")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisStore.class));
  }

  @Test
  void cachetUrlFromTheEnvironmentWinsOverSpring() {
    runner.withPropertyValues(UNUSABLE_SPRING_SETTINGS)
        .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("CACHET_REDIS_URL", "redis://127.0.0.1:1"))))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(CachetProperties.class).getRedis().getUrl()).isEqualTo("redis://127.0.0.1:1");
        });
  }

  @Test
  void aBlankCachetUrlHandsTheChoiceToSpring() {
    runner.withPropertyValues(UNUSABLE_SPRING_SETTINGS).withPropertyValues("cachet.redis.url=")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void withoutSpringBootDataRedisTheStarterStartsOnTheDefault() {
    // A connection details bean that would fail the start if it were read: without the module on
    // the class path, the configuration that reads it is skipped.
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.data.redis."))
        .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false")
        .withBean(DataRedisConnectionDetails.class, SpringDataRedisSettingsTest::masterReplica)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(RedisStore.class);
          assertThat(context).doesNotHaveBean(CachetStoreAutoConfiguration.SpringRedisConnection.class);
        });
  }

  @Test
  void withTheModuleButNoConnectionDetailsBeanTheDefaultApplies() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
        .withPropertyValues("cachet.store=redis", "cachet.fallback.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(RedisStore.class);
          assertThat(context.getBean(CachetStoreAutoConfiguration.SpringRedisConnection.class).get()).isNull();
        });
  }

  @Test
  void aConnectionDetailsBeanOfTheApplicationIsUsed() {
    // As a Testcontainers or Docker Compose service connection registers one.
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
        .withPropertyValues("cachet.store=redis")
        .withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
          @Override
          public Standalone getStandalone() {
            return Standalone.of("127.0.0.2", 32768);
          }
        })
        .run(context -> assertThat(uri(context)).isEqualTo("127.0.0.2:32768/0"));
  }

  private static DataRedisConnectionDetails masterReplica() {
    return new DataRedisConnectionDetails() {
      @Override
      public MasterReplica getMasterReplica() {
        return () -> List.of(new Node("127.0.0.1", 1));
      }
    };
  }

  /** Spring's connection's URI, {@linkplain #describe described}. */
  private static String uri(org.springframework.context.ApplicationContext context) {
    return describe(springConnection(context).uri());
  }

  /**
   * {@code [tls ][[user]:password@]host:port/database[ master name]}, the Sentinels' addresses
   * for the host; Lettuce's own rendering masks the credentials.
   */
  static String describe(RedisURI uri) {
    RedisCredentials c = uri.getCredentialsProvider().resolveCredentials().block();
    String who = c.hasPassword() ? (c.hasUsername() ? c.getUsername() : "") + ":" + new String(c.getPassword()) + "@" : "";
    String where = uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort()
        : uri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","));
    return (uri.isSsl() ? "tls " : "") + who + where + "/" + uri.getDatabase()
        + (uri.getSentinelMasterId() == null ? "" : " master " + uri.getSentinelMasterId());
  }

  private static RedisConnection springConnection(org.springframework.context.ApplicationContext context) {
    return context.getBean(CachetStoreAutoConfiguration.SpringRedisConnection.class).get();
  }
}
