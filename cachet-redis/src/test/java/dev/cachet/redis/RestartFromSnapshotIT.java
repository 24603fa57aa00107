package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.testing.MutableClock;
import dev.cachet.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Redis that persists (an RDB snapshot, as Debian's default redis.conf takes them) and crashes
 * comes back with the data of its last snapshot: versions as they were then, and the entries they
 * validated. Its new run id tells every instance so, and each namespace is invalidated once before
 * anything read from the restored server is served (docs/guarantees.md, "A Redis restarted from a
 * snapshot ...").
 */
class RestartFromSnapshotIT {
  static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("t").build();

  static RedisStore store(RedisServerProcess server, MutableClock breakerClock) {
    return RedisStore.builder().uri(server.uri()).connectTimeout(Duration.ofSeconds(5))
        .commandTimeout(Duration.ofSeconds(1)).clock(breakerClock).build();
  }

  /** Reads until {@code cachet} serves a hit from Redis again (reconnected, breaker closed). */
  static void awaitHits(Cachet cachet, MutableClock breakerClock) {
    Poll.until(Duration.ofSeconds(15), "the instance to read Redis again", () -> {
      breakerClock.advance(Duration.ofSeconds(6)); // past the open period, if the circuit opened
      cachet.fetch("warm", Codecs.utf8(), POLICY, () -> Loaded.of("w"));
      return cachet.fetch("warm", Codecs.utf8(), POLICY, () -> Loaded.of("w")).status()
          == CacheResult.Status.HIT;
    });
  }

  static String namespaceVersion(RedisServerProcess server, String namespace) {
    return server.cli("--no-raw", "GET", namespace + ":n").trim();
  }

  @Test
  void anInvalidationAcknowledgedBeforeACrashIsNotUndoneByTheSnapshot() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      MutableClock breakerClock = new MutableClock();
      try (RedisStore storeA = store(server, breakerClock);
          Cachet a = Cachet.builder().store(storeA).namespace("rdb").build()) {
        a.get("k", Codecs.utf8(), POLICY, () -> "v1");
        assertThat(server.cli("SAVE")).contains("OK"); // a scheduled snapshot
        a.invalidateTags("t"); // acknowledged by Redis
        server.kill(); // crash before the next snapshot
        server.restart(); // loads dump.rdb from its directory
        awaitHits(a, breakerClock);
        CacheResult<String> read = a.fetch("k", Codecs.utf8(), POLICY, () -> Loaded.of("v2"));
        assertThat(read.value()).as("a value invalidated before the crash").isEqualTo("v2");
      }
    }
  }

  @Test
  void everyInstanceDistrustsTheRestoredDataAndTheNamespaceIsInvalidatedOnce() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      MutableClock clockA = new MutableClock();
      MutableClock clockB = new MutableClock();
      try (RedisStore storeA = store(server, clockA);
          RedisStore storeB = store(server, clockB);
          Cachet a = Cachet.builder().store(storeA).namespace("two").build();
          Cachet b = Cachet.builder().store(storeB).namespace("two").build()) {
        a.get("k", Codecs.utf8(), POLICY, () -> "v1");
        assertThat(b.get("k", Codecs.utf8(), POLICY, () -> "unused")).isEqualTo("v1");
        server.cli("SAVE");
        b.invalidateTags("t");
        server.kill();
        server.restart();
        awaitHits(a, clockA);
        String bumped = namespaceVersion(server, "two");
        a.get("after", Codecs.utf8(), POLICY, () -> "written after the check");

        awaitHits(b, clockB);
        assertThat(b.fetch("k", Codecs.utf8(), POLICY, () -> Loaded.of("v2")).value())
            .as("instance B, which never saw the restart's bump happen").isEqualTo("v2");
        assertThat(namespaceVersion(server, "two")).as("the namespace version, bumped by A only")
            .isEqualTo(bumped);
        assertThat(b.fetch("after", Codecs.utf8(), POLICY, () -> Loaded.of("reloaded")).status())
            .as("what A wrote once it had validated the new incarnation")
            .isEqualTo(CacheResult.Status.HIT);
      }
    }
  }

  @Test
  void withNothingInvalidatedWhatTheSnapshotRestoresIsReloadedOnceAndWhatItLackedIsLost() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      MutableClock breakerClock = new MutableClock();
      try (RedisStore store = store(server, breakerClock);
          Cachet a = Cachet.builder().store(store).namespace("ctl").build()) {
        a.get("saved", Codecs.utf8(), POLICY, () -> "s1");
        server.cli("SAVE");
        a.get("unsaved", Codecs.utf8(), POLICY, () -> "u1"); // not in the snapshot
        server.kill();
        server.restart();
        awaitHits(a, breakerClock);
        assertThat(server.keys("ctl:k:*")).as("what the snapshot brought back").contains("ctl:k:saved")
            .doesNotContain("ctl:k:unsaved");
        // Both are reloaded: one was lost, the other is of the old incarnation (a cost, not an error).
        assertThat(a.fetch("unsaved", Codecs.utf8(), POLICY, () -> Loaded.of("u2")).value()).isEqualTo("u2");
        assertThat(a.fetch("saved", Codecs.utf8(), POLICY, () -> Loaded.of("s2")).value()).isEqualTo("s2");
        // Nothing more until the next restart: what was reloaded is served.
        assertThat(a.fetch("saved", Codecs.utf8(), POLICY, () -> Loaded.of("s3")).status())
            .isEqualTo(CacheResult.Status.HIT);
      }
    }
  }

  @Test
  void anInvalidationIssuedWhileRedisWasDownIsAppliedToTheRestoredSnapshot() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      MutableClock breakerClock = new MutableClock();
      try (RedisStore storeA = store(server, breakerClock);
          Cachet a = Cachet.builder().store(storeA).namespace("down").build()) {
        a.get("k", Codecs.utf8(), POLICY, () -> "v1");
        server.cli("SAVE");
        server.kill();
        a.invalidateTags("t"); // kept, replayed once Redis answers
        server.restart();
        awaitHits(a, breakerClock);
        try (RedisStore storeB = store(server, new MutableClock());
            Cachet b = Cachet.builder().store(storeB).namespace("down").build()) {
          assertThat(b.fetch("k", Codecs.utf8(), POLICY, () -> Loaded.of("v2")).value()).isEqualTo("v2");
        }
      }
    }
  }

  @Test
  void anAppendOnlyFileRestoresAnInvalidationItHoldsAndTheNewRunIdStillInvalidatesOnce() {
    try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always")) {
      MutableClock breakerClock = new MutableClock();
      try (RedisStore store = store(server, breakerClock);
          Cachet a = Cachet.builder().store(store).namespace("aof").build()) {
        a.get("k", Codecs.utf8(), POLICY, () -> "v1");
        a.invalidateTags("t");
        a.get("k", Codecs.utf8(), POLICY, () -> "v2");
        server.kill();
        server.restart();
        awaitHits(a, breakerClock);
        assertThat(server.cli("EXISTS", "aof:i").trim())
            .as("the incarnation the namespace was validated against, recorded").isEqualTo("1");
        assertThat(a.fetch("k", Codecs.utf8(), POLICY, () -> Loaded.of("v3")).value()).isEqualTo("v3");
      }
    }
  }

  @Test
  void aClusterMasterRestartedFromItsSnapshotIsNotTrustedUntilTheNamespaceIsInvalidated() {
    try (RedisClusterProcess cluster = RedisClusterProcess.start()) {
      MutableClock breakerClock = new MutableClock();
      try (RedisStore store = RedisStore.builder().cluster(cluster.uris())
              .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(1))
              .clock(breakerClock).build();
          Cachet a = Cachet.builder().store(store).namespace("cl").build()) {
        a.get("k", Codecs.utf8(), POLICY, () -> "v1");
        // The master that holds the tag's version: restored, it brings the old version back.
        RedisServerProcess master = cluster.masterOf(cluster.slotOf("cl:t:t"), cluster.any());
        assertThat(master.cli("SAVE")).contains("OK");
        a.invalidateTags("t");
        master.kill();
        master.restart(); // its nodes.conf and dump.rdb: the same node, with the old data
        assertThat(master.cli("--no-raw", "GET", "cl:t:t")).as("the old tag version, back")
            .isNotEqualTo("(nil)");
        awaitHits(a, breakerClock);
        assertThat(a.fetch("k", Codecs.utf8(), POLICY, () -> Loaded.of("v2")).value())
            .as("a value invalidated before the master's crash").isEqualTo("v2");
      }
    }
  }
}
