package dev.cachet.redis;

import org.junit.jupiter.api.Test;

/**
 * A Sentinel failover while requests run, on real processes ({@link SentinelGroup}: master,
 * replica, two Sentinels), checked by {@link FailoverUnderLoad}: no request fails (a store
 * failure is a miss, and the loader's value is returned), the store finds the new master by
 * itself, its writes land there, and its near cache serves nothing the new master has changed.
 * The circuit breaker runs on the system clock, so the figures printed include its open periods.
 */
class SentinelFailoverIT {

  @Test
  void aForcedFailoverUnderLoad() throws Exception {
    try (SentinelGroup group = SentinelGroup.start(2, null)) {
      underLoad(group, "SENTINEL FAILOVER", group::failover, true);
    }
  }

  @Test
  void aForcedFailoverUnderLoadWithoutTheNearCache() throws Exception {
    try (SentinelGroup group = SentinelGroup.start(2, null)) {
      underLoad(group, "SENTINEL FAILOVER, no near cache", group::failover, false);
    }
  }

  /**
   * Lettuce asks the Sentinels in the URI's order, so the store may first reconnect to the old
   * master through the first Sentinel, which has not heard of the failover yet; that Sentinel's
   * own {@code +switch-master}, when it hears, moves the store again.
   */
  @Test
  void aForcedFailoverThroughTheLastSentinel() throws Exception {
    try (SentinelGroup group = SentinelGroup.start(2, null)) {
      underLoad(group, "SENTINEL FAILOVER through the last Sentinel", () -> group.failover(1), true);
    }
  }

  @Test
  void aKilledMasterUnderLoad() throws Exception {
    try (SentinelGroup group = SentinelGroup.start(2, null)) {
      underLoad(group, "SIGKILL of the master", () -> group.master().kill(), true);
    }
  }

  private static void underLoad(
      SentinelGroup group, String fault, Runnable inject, boolean nearCache) throws Exception {
    FailoverUnderLoad.check(group, group.replica(), RedisStore.builder().uri(group.uri()), null,
        fault, inject, nearCache);
  }
}
