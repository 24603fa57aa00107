package dev.cachet.redis.faults;

import dev.cachet.testing.faults.FaultChecks;
import dev.cachet.testing.faults.FaultRun;
import dev.cachet.testing.faults.RecordingStore;
import dev.cachet.testing.faults.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.internal.KeyMapper;
import dev.cachet.redis.RedisClusterProcess;
import dev.cachet.redis.RedisServerProcess;
import dev.cachet.redis.RedisStore;
import dev.cachet.testing.Poll;
import dev.cachet.testing.faults.FaultRun.Fault;
import dev.cachet.testing.faults.FaultRun.Result;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster master is killed under load (see {@link FaultRun}) and its replica takes over.
 * The victim is the master of the hot tag's version key, which every hot read checks. Both
 * instances keep the default near cache, kept coherent per node connection.
 */
class RedisClusterFailoverIT {
  static final Duration CLUSTER_RECOVERY_BOUND = Duration.ofSeconds(10);
  static final Duration NEAR_CACHE_LEASE = Duration.ofSeconds(1);

  @Test
  void masterKilled_replicaTakesOver() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.startWithReplicas()) {
      String ns = "failover-" + UUID.randomUUID().toString().substring(0, 8);
      String tagKey = new KeyMapper(ns).hardVersionKey(FaultRun.TAG);
      int slot = cluster.slotOf(tagKey);
      RedisServerProcess victim = cluster.masterOf(slot, cluster.any());
      assertThat(victim).isNotNull();
      try (RedisStore storeA = clusterStore(cluster);
          RedisStore storeB = clusterStore(cluster)) {
        RecordingStore recorder = new RecordingStore(storeA, tagKey);
        try (Cachet a = Cachet.builder().store(recorder).namespace(ns).build();
            Cachet b = Cachet.builder().store(storeB).namespace(ns).build()) {
          long[] killedAt = new long[1];
          long[] failover = new long[1];
          Result r = new FaultRun(a, recorder, b).run(
              "cluster: master kill -9, replica failover", Duration.ofMillis(300), new Fault() {
                @Override
                public void begin() {
                  victim.kill();
                  killedAt[0] = System.nanoTime();
                }

                @Override
                public void end() {
                  Poll.until(Duration.ofSeconds(20), "the replica to take over slot " + slot,
                      () -> cluster.servedByLiveMaster(slot));
                  failover[0] = System.nanoTime() - killedAt[0];
                }
              });
          System.out.printf("FAULT Redis cluster: failover (kill -9 to every node agreeing on the"
              + " new master, cluster-node-timeout 1000) took %s%n", Figures.time(failover[0]));
          // B's near cache learns of the change by an invalidation push, at worst when its lease
          // ends. The client must also learn the new topology, which takes it a few seconds more.
          FaultChecks.common("Redis", r, NEAR_CACHE_LEASE, CLUSTER_RECOVERY_BOUND);
          assertThat(Duration.ofNanos(failover[0])).isLessThan(Duration.ofSeconds(10));
        }
      }
    }
  }

  private static RedisStore clusterStore(RedisClusterProcess cluster) {
    return RedisStore.builder()
        .cluster(cluster.uris())
        .commandTimeout(FaultChecks.TIMEOUT)
        .circuitBreaker(5, FaultChecks.OPEN)
        .build();
  }
}
