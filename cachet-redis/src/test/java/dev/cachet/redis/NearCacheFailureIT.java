package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The near cache when the connection breaks or the server hangs; each test has its own server. */
class NearCacheFailureIT {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration BOUND = Duration.ofSeconds(5);

  static RedisStore store(RedisServerProcess server, FakeTicker ticker) {
    return NearCacheTracking.awaited(RedisStore.builder()
        .uri(server.uri())
        .connectTimeout(Duration.ofSeconds(5))
        .circuitBreaker(1000, Duration.ofMillis(1)) // these tests look at the near cache alone
        .ticker(ticker)
        .build(), BOUND, "f:");
  }

  @Test
  void aKilledAndRestartedServerFlushesTheNearCache() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      FakeTicker ticker = new FakeTicker();
      try (RedisStore store = store(server, ticker)) {
        store.put("f:k", bytes("before"), TTL);
        store.setVersion("f:v", 7, TTL);
        assertThat(store.get("f:k")).isEqualTo(bytes("before"));
        assertThat(store.getVersions(java.util.List.of("f:v"))).containsExactly(7L);
        // Filled by a read that no push of the put overtook (the server pushes it after the reply).
        Poll.until(BOUND, "the copy filled", () -> store.get("f:k") != null && store.nearCache().cached("f:k") != null);

        server.kill();
        Poll.until(BOUND, "the disconnect to be noticed", () -> !store.nearCache().tracking());
        assertThat(store.nearCache().size()).isZero();
        assertThatThrownBy(() -> store.get("f:k")).isInstanceOf(RuntimeException.class);

        server.restart(); // same port, empty
        Poll.until(BOUND, "the store to reconnect and track again", () -> {
          try {
            store.get("f:probe");
            return store.nearCache().tracking();
          } catch (RuntimeException stillDown) {
            return false;
          }
        });
        assertThat(store.get("f:k")).isNull();
        assertThat(store.getVersions(java.util.List.of("f:v"))).containsExactly(0L);
      }
    }
  }

  @Test
  void aHungServerIsServedFromTheNearCacheOnlyWithinTheLease() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      FakeTicker ticker = new FakeTicker();
      try (RedisStore store = store(server, ticker)) {
        store.put("f:k", bytes("v"), TTL);
        assertThat(store.get("f:k")).isEqualTo(bytes("v"));
        NearCacheTracking.readUntilCached(store, java.util.List.of("f:k"));

        server.pause(); // connection open, nothing answered, no invalidation can arrive
        try {
          assertThat(store.get("f:k")).isEqualTo(bytes("v")); // within the lease
          ticker.advance(Duration.ofSeconds(1)); // the default lease
          assertThatThrownBy(() -> store.get("f:k")).isInstanceOf(RuntimeException.class);
        } finally {
          server.resume();
        }
        // Once the server answers again, the copy is known current and is served again.
        Poll.until(BOUND, "a reply after the pause", () -> {
          try {
            return java.util.Arrays.equals(store.get("f:k"), bytes("v"));
          } catch (RuntimeException timedOut) {
            return false;
          }
        });
        assertThat(store.nearCache().cached("f:k")).isEqualTo(bytes("v"));
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
