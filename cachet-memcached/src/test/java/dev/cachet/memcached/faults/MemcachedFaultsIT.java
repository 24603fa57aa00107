package dev.cachet.memcached.faults;

import dev.cachet.memcached.MemcachedServer;
import dev.cachet.memcached.MemcachedStore;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.testing.LocalServer;
import dev.cachet.testing.faults.FaultChecks;
import dev.cachet.testing.faults.StoreFaultsContract;
import java.time.Duration;
import java.util.Collection;

/**
 * {@link StoreFaultsContract} on a Memcached server. After a black hole, the cache recovers
 * because a reply taken for a request of another kind breaks the client's decoder, which drops
 * the connection (see {@link MemcachedUnansweredRequestsIT}).
 */
class MemcachedFaultsIT extends StoreFaultsContract<MemcachedStore> {
  @Override
  protected LocalServer startServer() {
    return MemcachedServer.start();
  }

  @Override
  protected MemcachedStore store(int port) {
    return MemcachedStore.builder()
        .servers("127.0.0.1:" + port)
        .operationTimeout(FaultChecks.TIMEOUT)
        .circuitBreaker(5, FaultChecks.OPEN)
        .build();
  }

  @Override
  protected Collection<State> circuitStates(MemcachedStore store) {
    return store.serverStates().values();
  }

  @Override
  protected String storeName() {
    return "Memcached";
  }

  /** No near cache: a read that starts once the server has the invalidation sees it. */
  @Override
  protected Duration nearCacheLag() {
    return Duration.ZERO;
  }

  /** No: when the connection is gone, calls fail before they reach the circuit. */
  @Override
  protected boolean circuitOpensWhenUnreachable() {
    return false;
  }

  /** Yes: every call times out, so the circuit opens. */
  @Override
  protected boolean circuitOpensWhenSlowerThanTheTimeout() {
    return true;
  }
}
