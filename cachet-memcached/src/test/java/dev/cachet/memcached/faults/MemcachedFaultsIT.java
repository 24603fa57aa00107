package dev.cachet.memcached.faults;

import dev.cachet.testing.faults.FaultChecks;
import dev.cachet.testing.faults.FaultRun;
import dev.cachet.testing.faults.RecordingStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.internal.KeyMapper;
import dev.cachet.memcached.MemcachedStore;
import dev.cachet.testing.faults.FaultRun.Fault;
import dev.cachet.testing.faults.FaultRun.Phase;
import dev.cachet.testing.faults.FaultRun.Result;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.testing.FaultProxy;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a Memcached server under load (see {@link FaultRun}). Instance A reaches the server
 * through a {@link FaultProxy}; instance B, another process's view, connects directly, so a proxy
 * fault partitions A alone while a killed or frozen server is down for both. Both stores keep the
 * defaults (250 ms operation timeout) but for a circuit that opens after 5 failures for 1 s.
 */
class MemcachedFaultsIT {
  static final Duration FAULT = Duration.ofMillis(1500);

  private MemcachedProcess memcached;
  private FaultProxy proxy;
  private MemcachedStore storeA;
  private MemcachedStore storeB;
  private Cachet a;
  private Cachet b;
  private FaultRun run;

  @BeforeEach
  void setUp() throws Exception {
    memcached = MemcachedProcess.start();
    proxy = new FaultProxy(memcached.port());
    String ns = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    storeA = MemcachedStore.builder()
        .servers("127.0.0.1:" + proxy.port())
        .operationTimeout(FaultChecks.TIMEOUT)
        .circuitBreaker(5, FaultChecks.OPEN)
        .build();
    RecordingStore recorder =
        new RecordingStore(storeA, new KeyMapper(ns).hardVersionKey(FaultRun.TAG));
    a = Cachet.builder().store(recorder).namespace(ns).build();
    storeB = MemcachedStore.builder()
        .servers(memcached.address())
        .operationTimeout(FaultChecks.TIMEOUT)
        .circuitBreaker(5, FaultChecks.OPEN)
        .build();
    b = Cachet.builder().store(storeB).namespace(ns).build();
    run = new FaultRun(a, recorder, b);
  }

  @AfterEach
  void tearDown() throws Exception {
    a.close();
    b.close();
    storeA.close();
    storeB.close();
    proxy.close();
    memcached.close();
  }

  /**
   * A fault whose end is checked to find A's circuit not closed: the breaker was at work. (When
   * the connection is gone, calls fail before reaching the circuit, so it is not checked there.)
   */
  private Fault tripping(Runnable begin, Runnable end) {
    return fault(begin, () -> {
      assertThat(storeA.serverStates().values())
          .as("A's circuit during the fault")
          .doesNotContain(State.CLOSED);
      end.run();
    });
  }

  private static Fault fault(Runnable begin, Runnable end) {
    return new Fault() {
      @Override
      public void begin() {
        begin.run();
      }

      @Override
      public void end() {
        end.run();
      }
    };
  }

  private static void common(Result r) {
    // No near cache: a read that starts once the server has the invalidation sees it.
    FaultChecks.common("Memcached", r, Duration.ZERO, FaultChecks.RECOVERY_BOUND);
  }

  @Test
  void down_proxyCut() throws Exception {
    Result r = run.run("down: proxy CUT 1.5 s", FAULT,
        fault(() -> proxy.mode(FaultProxy.Mode.CUT), () -> proxy.mode(FaultProxy.Mode.PASS)));
    common(r);
    FaultChecks.failsFast(r);
    assertThat(r.bOldAfterAck())
        .as("B reaches the server, which holds the old version until A replays its invalidation")
        .isPositive();
  }

  @Test
  void down_serverKilled() throws Exception {
    Result r = run.run("down: kill -9 1.5 s, restart", FAULT,
        fault(memcached::kill, memcached::restart));
    common(r);
    FaultChecks.failsFast(r);
  }

  /**
   * Requests swallowed by the black hole are never answered and the connection is not reset; the
   * cache recovers only because a reply taken for a request of another kind breaks the client's
   * decoder, which drops the connection (see {@link MemcachedUnansweredRequestsIT}).
   */
  @Test
  void hang_proxyBlackHole() throws Exception {
    Result r = run.run("hang: proxy BLACK_HOLE 1.5 s, then PASS", FAULT, tripping(
        () -> proxy.mode(FaultProxy.Mode.BLACK_HOLE), () -> proxy.mode(FaultProxy.Mode.PASS)));
    common(r);
    FaultChecks.failsFast(r);
  }

  /** The black hole ended by a reset, as the kernel's retransmission timeout eventually does. */
  @Test
  void hang_proxyBlackHoleEndedByReset() throws Exception {
    Result r = run.run("hang: proxy BLACK_HOLE 1.5 s, then CUT + PASS", FAULT, tripping(
        () -> proxy.mode(FaultProxy.Mode.BLACK_HOLE), () -> {
          proxy.mode(FaultProxy.Mode.CUT);
          proxy.mode(FaultProxy.Mode.PASS);
        }));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void hang_serverFrozen() throws Exception {
    Result r = run.run("hang: SIGSTOP 1.5 s, SIGCONT", FAULT,
        tripping(memcached::pause, memcached::resume));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void slow_50msPerChunk() throws Exception {
    // Round trips of 100 ms and more: under the 250 ms operation timeout.
    Result r = run.run("slow: +50 ms per chunk each way, 1.5 s", FAULT,
        fault(() -> proxy.delay(50), () -> proxy.delay(0)));
    common(r);
    // A miss costs a few round trips, each cut at the timeout.
    assertThat(Duration.ofNanos(r.phase(Phase.DURING).p99()))
        .isLessThan(FaultChecks.TIMEOUT.multipliedBy(5));
  }

  @Test
  void slow_150msPerChunk() throws Exception {
    // Round trips of 300 ms and more: over the operation timeout, so the circuit opens.
    Result r = run.run("slow: +150 ms per chunk each way, 1.5 s", FAULT,
        tripping(() -> proxy.delay(150), () -> proxy.delay(0)));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void restarted_killAndRestartAtOnce() throws Exception {
    Result r = run.run("restart: kill -9, restart at once", Duration.ofMillis(150),
        fault(memcached::kill, memcached::restart));
    common(r);
  }
}
