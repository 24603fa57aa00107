package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-master Redis Cluster that speaks TLS only, to clients and on its bus: the trust given
 * to the store reaches the seed connection and every node connection found through the topology,
 * near-cache tracking included.
 */
class TlsClusterIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(10);

  @RegisterExtension
  static final SharedTlsServer<RedisClusterProcess> tls = new SharedTlsServer<>(RedisClusterProcess::start);

  static RedisStore store() {
    return NearCacheTracking.awaitedOnEveryMaster(RedisStore.builder().cluster(tls.server.uris()).ssl(tls.certs.trust())
        .commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(5)).build(), BOUND);
  }

  @Test
  void everyMasterIsReachedOverTlsAndNearCachesStayCoherent() {
    assertThat(tls.server.uris()).allMatch(u -> u.startsWith("rediss://"));
    try (RedisStore a = store(); RedisStore b = store()) {
      for (String key : ClusterNearCacheIT.keyPerMaster(tls.server, "tls-cluster:")) {
        a.put(key, bytes("v1"), TTL);
        assertThat(b.get(key)).isEqualTo(bytes("v1"));
        a.put(key, bytes("v2"), TTL);
        Poll.until(BOUND, "b's near cache to drop " + key, () -> b.nearCache().cached(key) == null);
        assertThat(b.get(key)).isEqualTo(bytes("v2"));
      }
      assertThat(tls.server.keyCounts()).allMatch(n -> n >= 1); // one key on each master
    }
  }

  @Test
  void withoutTheTrustEveryCallMisses() {
    try (RedisStore store =
            RedisStore.builder().cluster(tls.server.uris()).connectTimeout(Duration.ofSeconds(5)).build();
        Cachet cachet = Cachet.builder().store(store).namespace("tls-cluster-untrusted").build()) {
      AtomicInteger loads = new AtomicInteger();
      for (int i = 1; i <= 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-" + i);
      }
      assertThat(cachet.stats().storeErrors()).isPositive();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
