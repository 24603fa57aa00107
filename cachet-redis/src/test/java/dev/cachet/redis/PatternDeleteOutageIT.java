package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pattern delete issued while Redis hangs is not lost once Redis answers again. */
class PatternDeleteOutageIT {
  @Test
  void aPatternDeleteWhileRedisHangsAppliesOnceItAnswersAgain() {
    MutableClock breakerClock = new MutableClock();
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisStore store = RedisStore.builder().uri(redis.uri()).clock(breakerClock)
            .circuitBreaker(5, Duration.ofMillis(500)).build()) {
      Cachet cachet = Cachet.builder().store(store).namespace("pdo").build();
      CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
      cachet.get("user:1", Codecs.utf8(), policy, () -> "old");
      cachet.get("order:1", Codecs.utf8(), policy, () -> "order");
      redis.pause(); // SIGSTOP: connections stay open, nothing answers
      try {
        cachet.deleteByPattern("user:*"); // the scan times out; returns normally
      } finally {
        redis.resume();
      }
      breakerClock.advance(Duration.ofSeconds(1)); // past the open period, if the circuit opened
      // Wait until this instance reads the store again (its pending invalidations replayed).
      Poll.until(Duration.ofSeconds(10), "the store to be read again", () -> {
        cachet.put("probe", "p", Codecs.utf8(), policy);
        return cachet.getIfPresent("probe", Codecs.utf8()) != null;
      });
      assertThat(cachet.get("user:1", Codecs.utf8(), policy, () -> "new")).isEqualTo("new");
    }
  }
}
