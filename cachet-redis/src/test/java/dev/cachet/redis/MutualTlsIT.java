package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TLS server that requires a client certificate ({@code tls-auth-clients yes}): the store
 * presenting the client key the CA signed works; one that only trusts the CA is refused, and
 * every call is a miss rather than an error.
 */
class MutualTlsIT {
  @RegisterExtension
  static final SharedTlsServer<RedisServerProcess> tls =
      new SharedTlsServer<>(certs -> RedisServerProcess.startTls(certs, "yes"));

  @Test
  void theClientKeyIsPresentedAndAccepted() {
    try (RedisStore store = RedisStore.builder().uri(tls.server.uri()).ssl(tls.certs.trustAndClientKey())
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      store.put("mtls:k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
      assertThat(store.get("mtls:k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
      assertThat(tls.server.cli("get", "mtls:k").trim()).isEqualTo("v");
    }
  }

  @Test
  void withoutTheClientKeyTheServerRefusesTheStoreAndCallsMiss() {
    try (RedisStore store = RedisStore.builder().uri(tls.server.uri()).ssl(tls.certs.trust())
            .connectTimeout(Duration.ofSeconds(5)).build();
        Cachet cachet = Cachet.builder().store(store).namespace("mtls-nokey").build()) {
      AtomicInteger loads = new AtomicInteger();
      for (int i = 1; i <= 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), () -> "loaded-" + loads.incrementAndGet())).isEqualTo("loaded-" + i);
      }
      assertThat(cachet.stats().storeErrors()).isPositive();
    }
  }
}
