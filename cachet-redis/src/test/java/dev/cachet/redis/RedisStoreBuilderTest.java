package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cachet.store.StoreCapability;
import dev.cachet.testing.LocalServerProcess;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisStoreBuilderTest {

  @Test
  void requiresExactlyOneTarget() {
    assertThatThrownBy(() -> RedisStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("uri");
    assertThatThrownBy(() -> RedisStore.builder().uri("redis://a").cluster("redis://b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster("redis://b").uri("redis://a"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachSetterOnce() {
    assertThatThrownBy(() -> RedisStore.builder().uri("redis://a").uri("redis://a"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().commandTimeout(Duration.ofMillis(1)).commandTimeout(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().nearCache(true).nearCache(false))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster("redis://a").cluster(List.of("redis://b")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsBadValues() {
    assertThatThrownBy(() -> RedisStore.builder().uri("http://x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().uri("not a uri")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster("redis://a:7000/2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database 0");
    assertThatThrownBy(() -> RedisStore.builder().cluster("redis-sentinel://a:26379?sentinelMasterId=m"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().commandTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().connectTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().nearCacheMaximumBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().nearCacheLease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().circuitBreaker(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().circuitBreaker(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().uri((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RedisStore.builder().clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RedisStore.builder().sentinelCredentials("u", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RedisStore.builder().sentinelCredentials(null, "a").sentinelCredentials(null, "b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().uri("redis://127.0.0.1:1").sentinelCredentials(null, "pw").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("redis-sentinel://");
  }

  @Test
  void lettuceUrisAreCheckedAsTheStringsAre() {
    RedisURI a = RedisURI.create("redis://a");
    assertThatThrownBy(() -> RedisStore.builder().uri(a).uri(a)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().uri(a).cluster(a)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster(a).uri(a)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster(a).cluster("redis://b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().uri((RedisURI) null))
        .isInstanceOf(NullPointerException.class).hasMessage("uri");
    assertThatThrownBy(() -> RedisStore.builder().uri(new RedisURI()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    assertThatThrownBy(() -> RedisStore.builder().cluster(new RedisURI[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster(a, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RedisStore.builder().cluster(RedisURI.builder().withHost("a").withDatabase(2).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database 0");
    assertThatThrownBy(() -> RedisStore.builder().cluster(RedisURI.Builder.sentinel("s", "m").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sslIsSetOnceAndOnlyForTlsConnections() {
    SslOptions ssl = SslOptions.create();
    assertThatThrownBy(() -> RedisStore.builder().ssl(ssl).ssl(ssl)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RedisStore.builder().ssl(null)).isInstanceOf(NullPointerException.class);
    // TLS options for a plain connection are a mistake in the configuration, not a silent no-op.
    assertThatThrownBy(() -> RedisStore.builder().uri("redis://127.0.0.1:1").ssl(ssl).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rediss://");
    assertThatThrownBy(() -> RedisStore.builder().cluster("redis://127.0.0.1:1").ssl(ssl).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rediss://");
    // Behind Sentinel, the message names the scheme that would use TLS.
    assertThatThrownBy(() -> RedisStore.builder().uri("redis-sentinel://127.0.0.1:1?sentinelMasterId=m").ssl(ssl)
        .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("rediss-sentinel://");
  }

  @Test
  void aRedissSentinelUriUsesTlsForTheSentinelsAndTheMaster() {
    RedisURI uri = RedisURI.create("rediss-sentinel://127.0.0.1:1,127.0.0.1:2?sentinelMasterId=m&verifyPeer=CA");
    RedisURI copy = RedisStoreBuilder.copy(uri);
    assertThat(copy.isSsl()).isTrue();
    assertThat(copy.getSentinels()).hasSize(2).allMatch(RedisURI::isSsl)
        .allMatch(s -> s.getVerifyMode() == SslVerifyMode.CA);
    assertThat(copy.getVerifyMode()).isEqualTo(SslVerifyMode.CA);
    assertThat(copy.getSentinelMasterId()).isEqualTo("m");
  }

  @Test
  void theCopyOfAUriKeepsEachSentinelsOwnTlsSettings() {
    // Lettuce's builder gives every Sentinel the master's TLS settings; they can differ only when
    // set afterwards, as for Sentinels listening without TLS in front of TLS servers.
    RedisURI uri = RedisURI.Builder.sentinel("127.0.0.1", 1, "m").withSentinel("127.0.0.1", 2)
        .withSsl(true).withVerifyPeer(SslVerifyMode.FULL).build();
    uri.getSentinels().get(0).setSsl(false);
    uri.getSentinels().get(1).setVerifyPeer(SslVerifyMode.CA);
    RedisURI copy = RedisStoreBuilder.copy(uri);
    assertThat(copy.isSsl()).isTrue();
    assertThat(copy.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
    assertThat(copy.getSentinels()).extracting(RedisURI::getPort, RedisURI::isSsl, RedisURI::getVerifyMode)
        .containsExactly(tuple(1, false, SslVerifyMode.FULL), tuple(2, true, SslVerifyMode.CA));
    assertThat(copy.getSentinels().get(0)).isNotSameAs(uri.getSentinels().get(0));
  }

  @Test
  void theStoreChangesACopyOfTheGivenUriNotTheCallers() {
    int port = LocalServerProcess.freePort(0); // nothing listens there
    RedisURI sentinels = RedisURI.Builder.sentinel("127.0.0.1", port, "m").build();
    RedisURI sentinel = sentinels.getSentinels().get(0);
    try (RedisStore store = RedisStore.builder().uri(sentinels).sentinelCredentials(null, "pw")
        .connectTimeout(Duration.ofMillis(500)).build()) {
      assertThat(store.hasNearCache()).isTrue();
    }
    // The store set the Sentinels' credentials and its timeouts on its own copy only.
    assertThat(sentinel.getCredentialsProvider().resolveCredentials().block().hasPassword()).isFalse();
    assertThat(sentinels.getTimeout()).isEqualTo(RedisURI.DEFAULT_TIMEOUT_DURATION);
  }

  @Test
  void aClusterStoreHasANearCacheUnlessSwitchedOff() {
    String seed = "redis://127.0.0.1:" + LocalServerProcess.freePort(0); // nothing listens there
    try (RedisStore store = RedisStore.builder().cluster(seed).build()) {
      assertThat(store.hasNearCache()).isTrue();
    }
    try (RedisStore store = RedisStore.builder().cluster(seed).nearCache(false).build()) {
      assertThat(store.hasNearCache()).isFalse();
    }
  }

  @Test
  void aStoreIsBuiltWhileRedisIsUnreachableAndFailsFast() {
    int port = LocalServerProcess.freePort(0); // nothing listens there
    try (RedisStore store = RedisStore.builder().uri("redis://127.0.0.1:" + port).build()) {
      assertThat(store.capabilities()).containsExactlyInAnyOrder(
          StoreCapability.PATTERN_SCAN, StoreCapability.DISTRIBUTED_LOCK, StoreCapability.SHARED);
      assertThat(store.hasNearCache()).isTrue();
      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(RuntimeException.class);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(store.evictionCount()).isZero();
    }
  }
}
