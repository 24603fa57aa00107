package dev.cachet.demo;

import static dev.cachet.demo.DemoInstance.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.RedisServerProcess;
import dev.cachet.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two demo instances while their Redis is killed (SIGKILL) and started again, empty, on the same
 * port: no request fails, and both instances go back to sharing entries by themselves. Each test
 * has its own Redis and instances.
 */
class RedisOutageIT {
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

  RedisServerProcess redis;
  SpaceRepository database = new SpaceRepository();
  DemoInstance a;
  DemoInstance b;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
    String namespace = "outage-" + UUID.randomUUID();
    HandlerGate gate = new HandlerGate();
    a = DemoInstance.start("demo-a", redis.uri(), namespace, database, gate);
    b = DemoInstance.start("demo-b", redis.uri(), namespace, database, gate);
  }

  @AfterEach
  void stop() {
    try {
      b.close();
      a.close();
    } finally {
      redis.close();
    }
  }

  /**
   * Polls until an entry stored through one instance is a HIT on the other, both ways, which
   * only Redis can make happen; returns how long that took.
   */
  static long untilSharingAgain(DemoInstance a, DemoInstance b) {
    AtomicInteger attempt = new AtomicInteger();
    return Poll.until(RECOVERY_BOUND, "both instances to share entries through Redis again", () -> {
      int n = attempt.incrementAndGet();
      return sharedFrom(a, b, "/it/value/ab-" + n) && sharedFrom(b, a, "/it/value/ba-" + n);
    });
  }

  private static boolean sharedFrom(DemoInstance writer, DemoInstance reader, String path) {
    HttpResponse<String> stored = writer.get(path);
    HttpResponse<String> read = reader.get(path);
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(read.statusCode()).isEqualTo(200);
    return xCache(read).equals("HIT") && read.body().equals(stored.body());
  }

  @Test
  void aKilledRedisFailsNoRequestAndBothInstancesRecoverWithoutARestart() throws Exception {
    for (int i = 0; i < 16; i++) {
      a.untilSharedWith(b, "/it/value/h" + i);
    }
    Load load = new Load(a, b, 4, 500);
    load.start();
    Poll.until(Duration.ofSeconds(30), "half the requests answered", () -> load.answered() >= load.total() / 2);
    redis.kill();
    long killedAt = System.nanoTime();
    List<Load.Sample> samples = load.finish();

    List<Load.Sample> failed = samples.stream().filter(s -> !s.ok()).toList();
    long before = samples.stream().filter(s -> s.answeredAt() < killedAt).count();
    long down = samples.stream().filter(s -> s.sentAt() >= killedAt).count();
    System.out.printf("outage: %d requests sent by 4 threads to both instances, %d failed%n",
        samples.size(), failed.size());
    System.out.printf("outage: before the kill: %s%n", Load.summary(samples, t -> t < killedAt));
    System.out.printf("outage: Redis down:      %s%n", Load.summary(samples, t -> t >= killedAt));
    assertThat(failed).as("failed requests").isEmpty();
    assertThat(before).isGreaterThan(200);
    assertThat(down).isGreaterThan(200);

    redis.restart();
    long took = untilSharingAgain(a, b);
    System.out.printf("outage: both instances share entries through Redis again %s after the restart%n",
        Poll.millis(took));
    assertThat(a.store().pendingInvalidations()).isZero();
    assertThat(b.store().pendingInvalidations()).isZero();
  }

  @Test
  void aWriteWhileRedisIsDownIsNotUndoneByTheRestartedRedis() {
    String list = "/spaces/1/items";
    a.untilSharedWith(b, list);
    assertThat(b.get(list).body()).contains("\"item 1.2\"");

    redis.kill();
    String name = "renamed-" + UUID.randomUUID();
    assertThat(a.put("/spaces/1/items/2", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(200);
    assertThat(a.store().pendingInvalidations()).as("kept for Redis").isPositive();
    for (DemoInstance instance : List.of(a, b)) {
      assertThat(instance.get(list).body()).as(instance + " while Redis is down").contains(name);
    }

    redis.restart();
    long restarted = System.nanoTime();
    AtomicInteger reads = new AtomicInteger();
    Poll.until(RECOVERY_BOUND, "A's kept invalidations to reach Redis", () -> {
      for (DemoInstance instance : List.of(a, b)) {
        reads.incrementAndGet();
        assertThat(instance.get(list).body()).as(instance + " after the restart").contains(name);
      }
      return a.store().pendingInvalidations() == 0;
    });
    System.out.printf("restart: A replayed its kept invalidations %s after the restart;"
        + " %d reads of %s meanwhile, none with the old body%n",
        Poll.millis(System.nanoTime() - restarted), reads.get(), list);
    untilSharingAgain(a, b);
    a.untilSharedWith(b, list);
    HttpResponse<String> onA = a.get(list);
    HttpResponse<String> onB = b.get(list);
    assertThat(onA.body()).contains(name);
    assertThat(onB.body()).isEqualTo(onA.body());
  }
}
