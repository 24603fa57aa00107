package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconnecting to a server that accepts connections but answers nothing (a frozen process) costs
 * a read no more than a command does: the connect goes on on its own thread, bounded by the
 * connect timeout, and the read is a miss at the command timeout. Before, the read that
 * reconnected waited out the whole connect timeout (2 s by default), once per half-open circuit.
 */
class ReconnectToFrozenServerIT {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aReadThatReconnectsToAFrozenServerIsAMissAtTheCommandTimeout() {
    MutableClock breakerClock = new MutableClock();
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisStore store = RedisStore.builder().uri(redis.uri()).clock(breakerClock)
            .commandTimeout(Duration.ofMillis(250)).connectTimeout(CONNECT_TIMEOUT)
            .circuitBreaker(3, Duration.ofMillis(500)).nearCache(false).build()) {
      Cachet cachet = Cachet.builder().store(store).namespace("rfs").build();
      CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
      cachet.put("k", "v", Codecs.utf8(), policy);
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v");
      redis.pause(); // SIGSTOP: connections stay open, new ones are accepted, nothing answers
      try {
        // Enough reads for the time-outs to drop the connection and every half-open probe after
        // it to reconnect: none may wait for the connect.
        for (int i = 0; i < 12; i++) {
          breakerClock.advance(Duration.ofSeconds(1)); // past the open period: a probe goes through
          long start = System.nanoTime();
          assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
          long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertThat(tookMillis).as("read %d, a miss, not a wait for the connect", i)
              .isLessThan(CONNECT_TIMEOUT.toMillis() / 3);
        }
      } finally {
        redis.resume();
      }
    }
  }
}
