package dev.cachet.redis.faults;

import dev.cachet.redis.RedisServerProcess;
import dev.cachet.redis.RedisStore;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.testing.LocalServer;
import dev.cachet.testing.faults.FaultChecks;
import dev.cachet.testing.faults.StoreFaultsContract;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * {@link StoreFaultsContract} on a standalone Redis. Both stores keep the near cache, with its
 * default 1 s lease.
 */
class RedisFaultsIT extends StoreFaultsContract<RedisStore> {
  static final Duration NEAR_CACHE_LEASE = Duration.ofSeconds(1); // the store's default

  @Override
  protected LocalServer startServer() {
    return RedisServerProcess.start();
  }

  @Override
  protected RedisStore store(int port) {
    return RedisStore.builder()
        .uri("redis://127.0.0.1:" + port)
        .commandTimeout(FaultChecks.TIMEOUT)
        .circuitBreaker(5, FaultChecks.OPEN)
        .build();
  }

  @Override
  protected Collection<State> circuitStates(RedisStore store) {
    return List.of(store.circuitState());
  }

  @Override
  protected String storeName() {
    return "Redis";
  }

  /** B's near cache learns of the change by an invalidation push, at worst when its lease ends. */
  @Override
  protected Duration nearCacheLag() {
    return NEAR_CACHE_LEASE;
  }

  @Override
  protected boolean circuitOpensWhenUnreachable() {
    return true;
  }

  /**
   * Not at the instant the fault ends: the store also drops the connection after as many
   * time-outs as open the circuit, and reconnects, so the breaker may then be between cycles.
   * What is asserted is the bounded cost per call.
   */
  @Override
  protected boolean circuitOpensWhenSlowerThanTheTimeout() {
    return false;
  }
}
