package dev.cachet.demo;

import static dev.cachet.demo.DemoInstance.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.RedisServerProcess;
import dev.cachet.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two demo instances on one real Redis, over HTTP: what one instance caches the other serves, an
 * invalidation on one reaches the other (through Redis client-tracking pushes to the other's near
 * cache), and {@code lock = true} runs a handler once for concurrent misses on both.
 */
class TwoInstancesRedisIT {
  static final Duration PROPAGATION_BOUND = Duration.ofSeconds(5);

  static RedisServerProcess redis;
  static HandlerGate gate = new HandlerGate();
  static DemoInstance a;
  static DemoInstance b;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start();
    SpaceRepository database = new SpaceRepository();
    String namespace = "two-" + UUID.randomUUID();
    // What these tests prove does not depend on timeouts: a long one keeps a busy machine from
    // turning a slow Redis reply into a (correct, but unexpected here) local fallback.
    a = DemoInstance.start("demo-a", redis.uri(), namespace, database, gate, "--cachet.redis.command-timeout=2s");
    b = DemoInstance.start("demo-b", redis.uri(), namespace, database, gate, "--cachet.redis.command-timeout=2s");
  }

  @AfterAll
  static void stop() {
    try {
      b.close();
      a.close();
    } finally {
      redis.close();
    }
  }

  /** What B answered after A's write: its stale hits, then the first miss. */
  record Propagation(int staleHits, long sinceWriteNanos, HttpResponse<String> firstMiss) {
    @Override
    public String toString() {
      return staleHits == 0
          ? "at once: the first GET on B after A's answer was already a MISS (it took "
              + Poll.millis(sinceWriteNanos) + ")"
          : staleHits + " stale HIT(s) on B, the first MISS sent " + Poll.millis(sinceWriteNanos)
              + " after A's answer";
    }
  }

  /** GETs {@code path} on {@code instance} until it misses; {@code writeAnswered} from nanoTime. */
  static Propagation untilMiss(DemoInstance instance, String path, long writeAnswered) {
    int[] hits = new int[1];
    long[] sent = new long[1];
    List<HttpResponse<String>> last = new ArrayList<>(1);
    Poll.until(PROPAGATION_BOUND, path + " to miss on " + instance, () -> {
      sent[0] = System.nanoTime();
      HttpResponse<String> r = instance.get(path);
      last.clear();
      last.add(r);
      if (xCache(r).equals("MISS")) {
        return true;
      }
      hits[0]++;
      return false;
    });
    long since = hits[0] == 0 ? System.nanoTime() - writeAnswered : sent[0] - writeAnswered;
    return new Propagation(hits[0], since, last.get(0));
  }

  @Test
  void aTagInvalidationOnOneInstanceIsSeenByTheOther() {
    a.post("/invalidate"); // whatever another test of this class left
    HttpResponse<String> first = a.get("/tagged");
    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(a.get("/tagged"))).isEqualTo("HIT");
    // B has never run this handler: its first GET is A's entry, read from Redis.
    HttpResponse<String> onB = b.get("/tagged");
    assertThat(xCache(onB)).isEqualTo("HIT");
    assertThat(onB.body()).isEqualTo(first.body());
    assertThat(xCache(b.get("/tagged"))).isEqualTo("HIT");

    assertThat(a.post("/invalidate").statusCode()).isEqualTo(200);
    Propagation p = untilMiss(b, "/tagged", System.nanoTime());
    HttpResponse<String> fresh = p.firstMiss();
    assertThat(fresh.body()).isNotEqualTo(first.body());
    System.out.printf("two instances: tag invalidation on A reached B %s%n", p);
    // B's reload is shared back: A now serves it, even when the push that evicts A's near copy
    // of the old entry has not arrived yet (A then reads the entry from Redis with the version).
    HttpResponse<String> back = a.get("/tagged");
    assertThat(xCache(back)).isEqualTo("HIT");
    assertThat(back.body()).isEqualTo(fresh.body());
  }

  @Test
  void invalidationsReachTheOtherInstanceAtOnceRoundAfterRound() {
    int rounds = 30;
    int staleReads = 0;
    long slowest = 0;
    for (int i = 0; i < rounds; i++) {
      a.get("/tagged");
      assertThat(xCache(b.get("/tagged"))).isEqualTo("HIT"); // now in B's near cache
      assertThat(a.post("/invalidate").statusCode()).isEqualTo(200);
      Propagation p = untilMiss(b, "/tagged", System.nanoTime());
      staleReads += p.staleHits();
      slowest = Math.max(slowest, p.sinceWriteNanos());
    }
    System.out.printf("two instances: %d tag invalidations on A; B read a stale entry %d time(s) after"
        + " A's answer; slowest first MISS on B answered %s after A's answer%n",
        rounds, staleReads, Poll.millis(slowest));
    assertThat(slowest).isLessThan(PROPAGATION_BOUND.toNanos());
  }

  @Test
  void aRestWriteOnOneInstanceInvalidatesTheHierarchyOnTheOther() {
    String list = "/spaces/1/items";
    String sibling = "/spaces/1/items/3";
    for (String path : List.of(list, sibling)) {
      a.get(path);
      assertThat(xCache(b.get(path))).as(path).isEqualTo("HIT");
      assertThat(xCache(b.get(path))).as(path).isEqualTo("HIT");
    }
    String before = b.get(list).body();
    String name = "renamed-" + UUID.randomUUID();

    assertThat(a.put("/spaces/1/items/2", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(200);
    Propagation p = untilMiss(b, list, System.nanoTime());
    assertThat(p.firstMiss().body()).contains(name).isNotEqualTo(before);
    System.out.printf("two instances: PUT /spaces/1/items/2 on A reached B's %s %s%n", list, p);
    assertThat(xCache(b.get(sibling))).as("a sibling is spared").isEqualTo("HIT");
    assertThat(b.get("/spaces/1/items/2").body()).contains(name);
  }

  /** Sends 16 concurrent GETs of {@code path}, 8 to each instance; returns the handler runs. */
  static int concurrentMisses(String path, int heldRuns) {
    HandlerGate.Round round = gate.arm();
    long missesBefore = a.cachet().stats().misses() + b.cachet().stats().misses();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add((i % 2 == 0 ? a : b).getAsync(path));
    }
    try {
      // Every request has missed (and so is loading, waiting for a load, or for the lock) and
      // the expected runs are held in the handler: only now may a load finish.
      Poll.until(Duration.ofSeconds(15), "16 misses and " + heldRuns + " held runs", () ->
          a.cachet().stats().misses() + b.cachet().stats().misses() - missesBefore == 16
              && round.runs() == heldRuns);
    } catch (AssertionError e) {
      throw new AssertionError("misses: " + (a.cachet().stats().misses() + b.cachet().stats().misses()
          - missesBefore) + ", runs: " + round.runs() + "; A " + a.cachet().stats() + "; B "
          + b.cachet().stats(), e);
    } finally {
      round.release();
    }
    Map<String, Integer> outcomes = new TreeMap<>();
    String body = calls.get(0).join().body();
    for (int i = 0; i < calls.size(); i++) {
      HttpResponse<String> r = calls.get(i).join();
      assertThat(r.statusCode()).isEqualTo(200);
      outcomes.merge((i % 2 == 0 ? "A " : "B ") + xCache(r), 1, Integer::sum);
      if (heldRuns == 1) {
        assertThat(r.body()).isEqualTo(body);
      }
    }
    System.out.printf("two instances: 16 concurrent misses of %s (8 on each) ran the handler %d time(s); %s%n",
        path, round.runs(), outcomes);
    return round.runs();
  }

  @Test
  void concurrentMissesOnBothInstancesRunALockedHandlerOnce() {
    assertThat(concurrentMisses("/it/locked", 1)).isEqualTo(1);
    HttpResponse<String> later = b.get("/it/locked");
    assertThat(xCache(later)).isEqualTo("HIT");
  }

  @Test
  void withoutTheLockEachInstanceRunsItsOwnLoad() {
    // The contrast: single-flight without a store lock is per instance. Not exactly 2: a miss
    // whose version capture ends after its instance's load ends loads again (SingleFlightGapIT).
    assertThat(concurrentMisses("/it/unlocked", 2)).isGreaterThanOrEqualTo(2);
  }
}
