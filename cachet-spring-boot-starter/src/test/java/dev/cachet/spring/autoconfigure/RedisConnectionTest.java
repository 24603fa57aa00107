package dev.cachet.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Cachet's own settings win; Spring Boot's connection is asked only when they name no server. */
class RedisConnectionTest {
  private final AtomicInteger asked = new AtomicInteger();
  private final Supplier<@Nullable RedisConnection> spring = () -> {
    asked.incrementAndGet();
    return RedisConnection.uri(RedisURI.create("redis://spring:6379"));
  };

  @Test
  void cachetUrlWinsAndSpringIsNotAsked() {
    CachetProperties.Redis redis = new CachetProperties.Redis();
    redis.setUrl("redis://cachet:6379");
    assertThat(RedisConnection.choose(redis, spring)).isEqualTo(RedisConnection.uri(RedisURI.create("redis://cachet:6379")));
    assertThat(asked).hasValue(0);
  }

  @Test
  void cachetClusterNodesWinOverEverything() {
    CachetProperties.Redis redis = new CachetProperties.Redis();
    redis.setUrl("redis://cachet:6379");
    redis.setClusterNodes(List.of("redis://c1:7000"));
    assertThat(RedisConnection.choose(redis, spring)).isEqualTo(RedisConnection.clusterUris(List.of(RedisURI.create("redis://c1:7000"))));
    assertThat(asked).hasValue(0);
  }

  @Test
  void springWhenCachetNamesNoServer() {
    assertThat(RedisConnection.choose(new CachetProperties.Redis(), spring))
        .isEqualTo(RedisConnection.uri(RedisURI.create("redis://spring:6379")));
    CachetProperties.Redis blank = new CachetProperties.Redis();
    blank.setUrl("  ");
    assertThat(RedisConnection.choose(blank, spring)).isEqualTo(RedisConnection.uri(RedisURI.create("redis://spring:6379")));
  }

  @Test
  void theLocalDefaultWhenNeitherNamesOne() {
    assertThat(new CachetProperties.Redis().getUrl()).isNull();
    assertThat(RedisConnection.choose(new CachetProperties.Redis(), () -> null))
        .isEqualTo(RedisConnection.uri(RedisURI.create("redis://localhost:6379")));
  }

  @Test
  void aCachetUrlThatIsNotARedisUriNamesTheProperty() {
    CachetProperties.Redis redis = new CachetProperties.Redis();
    redis.setUrl("http://nope");
    assertThatThrownBy(() -> RedisConnection.choose(redis, spring))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cachet.redis.url");
  }

  @Test
  void cachetsSentinelCredentialsGoWithEitherUri() {
    CachetProperties.Redis redis = new CachetProperties.Redis();
    redis.setUrl("redis-sentinel://s1:26379?sentinelMasterId=m");
    redis.setSentinelPassword("pw");
    RedisConnection.Credentials own = new RedisConnection.Credentials(null, "pw");
    assertThat(RedisConnection.choose(redis, () -> null).sentinel()).isEqualTo(own);

    redis.setUrl(null);
    RedisConnection spring = RedisConnection.uri(RedisURI.create("redis-sentinel://s2:26379?sentinelMasterId=m"))
        .withSentinelCredentials(new RedisConnection.Credentials("u", "spring-pw"));
    assertThat(RedisConnection.choose(redis, () -> spring).sentinel()).isEqualTo(own);
    assertThat(RedisConnection.choose(new CachetProperties.Redis(), () -> spring).sentinel())
        .isEqualTo(new RedisConnection.Credentials("u", "spring-pw"));
  }

  @Test
  void theMetadataGivesTheUrlNoDefaultAndSaysSpringsConnectionComesFirst() throws Exception {
    // The field is null so that "unset" can be told apart: unset, Spring Boot's connection is
    // used before redis://localhost:6379, so the metadata declares no default.
    JsonNode url = null;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
        if (property.get("name").asString().equals("cachet.redis.url")) {
          url = property;
        }
      }
    }
    assertThat(url).isNotNull();
    assertThat(url.has("defaultValue")).isFalse();
    assertThat(url.get("description").asString()).contains("No default").contains("spring.data.redis")
        .contains("rediss-sentinel://");
  }
}
