package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.Poll;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real {@code redis-server} that speaks TLS only, with a certificate of a private CA made for
 * the test: a store given that CA as its trust ({@link RedisStoreBuilder#ssl}) works as over
 * plain TCP, near cache included; one left with the JVM's default trust misses and says why.
 */
class TlsIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension
  static final SharedTlsServer<RedisServerProcess> tls =
      new SharedTlsServer<>(certs -> RedisServerProcess.startTls(certs, "no"));

  static RedisStore trustingStore() {
    return NearCacheTracking.awaited(RedisStore.builder().uri(tls.server.uri()).ssl(tls.certs.trust())
        .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(1)).build(), BOUND, "tls-near:");
  }

  @Test
  void aStoreTrustingTheCaReadsWritesAndInvalidatesTagsOverTls() {
    assertThat(tls.server.uri()).startsWith("rediss://");
    try (RedisStore store = trustingStore();
        Cachet cachet = Cachet.builder().store(store).namespace("tls-tags").build()) {
      CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("users").build();
      AtomicInteger loads = new AtomicInteger();
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      cachet.invalidateTags("users");
      assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v" + loads.incrementAndGet())).isEqualTo("v2");
      assertThat(loads).hasValue(2);
      assertThat(cachet.stats().storeErrors()).isZero();
    }
  }

  @Test
  void theNearCacheIsInvalidatedOverTlsByAnotherStoresWrite() {
    try (RedisStore a = trustingStore(); RedisStore b = trustingStore()) {
      a.put("tls-near:k", bytes("v1"), TTL);
      assertThat(b.get("tls-near:k")).isEqualTo(bytes("v1"));
      NearCacheTracking.readUntilCached(b, java.util.List.of("tls-near:k"));
      assertThat(b.nearCache().cached("tls-near:k")).isEqualTo(bytes("v1"));
      a.put("tls-near:k", bytes("v2"), TTL);
      // The push reaches b over its TLS connection and drops its copy.
      Poll.until(BOUND, "b's near cache to drop the overwritten value",
          () -> b.nearCache().cached("tls-near:k") == null);
      assertThat(b.get("tls-near:k")).isEqualTo(bytes("v2"));
    }
  }

  @Test
  void theTrustAlsoReachesAStoreBuiltFromALettuceUri() {
    RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(tls.server.port()).withSsl(true).build();
    try (RedisStore store = RedisStore.builder().uri(uri).ssl(tls.certs.trust()).nearCache(false)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      store.put("tls-uri:k", bytes("v"), TTL);
      assertThat(store.get("tls-uri:k")).isEqualTo(bytes("v"));
    }
  }

  @Test
  void withoutTheCaTheStoreMissesWithoutThrowingAndLogsTheHandshakeFailure() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.cachet");
    Handler capture = new Handler() {
      @Override public void publish(LogRecord record) {
        warnings.add(record);
      }

      @Override public void flush() {}

      @Override public void close() {}
    };
    logger.addHandler(capture);
    try (RedisStore store = RedisStore.builder().uri(tls.server.uri()).connectTimeout(Duration.ofSeconds(5)).build();
        Cachet cachet = Cachet.builder().store(store).namespace("tls-untrusted").build()) {
      AtomicInteger loads = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-" + loads.incrementAndGet()))
            .isEqualTo("loaded-" + (i + 1));
      }
      assertThat(cachet.stats().storeErrors()).isPositive();
      // The build says why it is disconnected: the server's certificate is not trusted.
      assertThat(warnings).anySatisfy(r -> assertThat(r.getMessage())
          .contains("starts disconnected").contains("unable to find valid certification path"));
    } finally {
      logger.removeHandler(capture);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
