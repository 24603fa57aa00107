package dev.cachet.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.testing.FaultProxy;
import dev.cachet.testing.LocalServer;
import dev.cachet.testing.faults.FaultRun.Fault;
import dev.cachet.testing.faults.FaultRun.Phase;
import dev.cachet.testing.faults.FaultRun.Result;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of one remote store server under load (see {@link FaultRun}), the same scenarios for
 * every store. Instance A reaches the server through a {@link FaultProxy}; instance B, another
 * process's view, connects to it directly, so a proxy fault partitions A alone while a killed or
 * frozen server is down for both. Both stores keep their defaults but for a {@link
 * FaultChecks#TIMEOUT} operation timeout and a circuit that opens after 5 failures for {@link
 * FaultChecks#OPEN}.
 *
 * <p>A subclass, a Failsafe {@code *IT} of the store's module, starts the server and builds its
 * stores, and says where its circuit behaves differently from another store's.
 *
 * @param <S> the store under test
 */
public abstract class StoreFaultsContract<S extends CacheStore> {
  static final Duration FAULT = Duration.ofMillis(1500);

  private LocalServer server;
  private FaultProxy proxy;
  private S storeA;
  private S storeB;
  private Cachet a;
  private Cachet b;
  private FaultRun run;

  /** Starts a server on a free loopback port, with nothing persisted across a restart. */
  protected abstract LocalServer startServer();

  /**
   * A store of the server on loopback {@code port}, with a {@link FaultChecks#TIMEOUT} operation
   * timeout and a circuit that opens after 5 failures for {@link FaultChecks#OPEN}.
   */
  protected abstract S store(int port);

  /** The states of {@code store}'s circuits: one per server it uses. */
  protected abstract Collection<State> circuitStates(S store);

  /** The store's name in the figures and messages: {@code "Redis"}. */
  protected abstract String storeName();

  /**
   * How long after the server had A's invalidation B may still serve the old value: its near
   * cache's lease, or zero for a store without one.
   */
  protected abstract Duration nearCacheLag();

  /**
   * Whether A's circuit is found open at the end of a fault that leaves the server unreachable
   * (connections reset and refused, or the process killed).
   */
  protected abstract boolean circuitOpensWhenUnreachable();

  /** Whether A's circuit is found open at the end of a fault that slows every round trip past the timeout. */
  protected abstract boolean circuitOpensWhenSlowerThanTheTimeout();

  @BeforeEach
  void setUp() throws Exception {
    server = startServer();
    proxy = new FaultProxy(server.port());
    String ns = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    storeA = store(proxy.port());
    RecordingStore recorder =
        new RecordingStore(storeA, new KeyMapper(ns).hardVersionKey(FaultRun.TAG));
    a = Cachet.builder().store(recorder).namespace(ns).build();
    storeB = store(server.port());
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
    server.close();
  }

  /**
   * A fault from {@code begin} to {@code end}; with {@code circuitOpens}, its end is checked to
   * find A's circuit not closed: the breaker was at work.
   */
  private Fault fault(Runnable begin, Runnable end, boolean circuitOpens) {
    return new Fault() {
      @Override
      public void begin() {
        begin.run();
      }

      @Override
      public void end() {
        if (circuitOpens) {
          assertThat(circuitStates(storeA))
              .as("A's circuit during the fault")
              .doesNotContain(State.CLOSED);
        }
        end.run();
      }
    };
  }

  private void common(Result r) {
    FaultChecks.common(storeName(), r, nearCacheLag(), FaultChecks.RECOVERY_BOUND);
  }

  @Test
  void down_proxyCut() throws Exception {
    Result r = run.run("down: proxy CUT 1.5 s", FAULT, fault(
        () -> proxy.mode(FaultProxy.Mode.CUT), () -> proxy.mode(FaultProxy.Mode.PASS),
        circuitOpensWhenUnreachable()));
    common(r);
    FaultChecks.failsFast(r);
    assertThat(r.bOldAfterAck())
        .as("B reaches the server, which holds the old version until A replays its invalidation")
        .isPositive();
  }

  @Test
  void down_serverKilled() throws Exception {
    Result r = run.run("down: kill -9 1.5 s, restart", FAULT,
        fault(server::kill, server::restart, circuitOpensWhenUnreachable()));
    common(r);
    FaultChecks.failsFast(r);
  }

  /**
   * Requests swallowed by the black hole are never answered and the connection is not reset; the
   * store must give the connection up all the same (see docs/faults.md).
   */
  @Test
  void hang_proxyBlackHole() throws Exception {
    Result r = run.run("hang: proxy BLACK_HOLE 1.5 s, then PASS", FAULT, fault(
        () -> proxy.mode(FaultProxy.Mode.BLACK_HOLE), () -> proxy.mode(FaultProxy.Mode.PASS), true));
    common(r);
    FaultChecks.failsFast(r);
  }

  /** The black hole ended by a reset, as the kernel's retransmission timeout eventually does. */
  @Test
  void hang_proxyBlackHoleEndedByReset() throws Exception {
    Result r = run.run("hang: proxy BLACK_HOLE 1.5 s, then CUT + PASS", FAULT, fault(
        () -> proxy.mode(FaultProxy.Mode.BLACK_HOLE), () -> {
          proxy.mode(FaultProxy.Mode.CUT);
          proxy.mode(FaultProxy.Mode.PASS);
        }, true));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void hang_serverFrozen() throws Exception {
    Result r = run.run("hang: SIGSTOP 1.5 s, SIGCONT", FAULT,
        fault(server::pause, server::resume, true));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void slow_50msPerChunk() throws Exception {
    // Round trips of 100 ms and more: under the 250 ms operation timeout.
    Result r = run.run("slow: +50 ms per chunk each way, 1.5 s", FAULT,
        fault(() -> proxy.delay(50), () -> proxy.delay(0), false));
    common(r);
    // A miss costs a few round trips, each cut at the timeout.
    assertThat(Duration.ofNanos(r.phase(Phase.DURING).p99()))
        .isLessThan(FaultChecks.TIMEOUT.multipliedBy(5));
  }

  @Test
  void slow_150msPerChunk() throws Exception {
    // Round trips of 300 ms and more: over the operation timeout.
    Result r = run.run("slow: +150 ms per chunk each way, 1.5 s", FAULT,
        fault(() -> proxy.delay(150), () -> proxy.delay(0), circuitOpensWhenSlowerThanTheTimeout()));
    common(r);
    FaultChecks.failsFast(r);
  }

  @Test
  void restarted_killAndRestartAtOnce() throws Exception {
    Result r = run.run("restart: kill -9, restart at once", Duration.ofMillis(150),
        fault(server::kill, server::restart, false));
    common(r);
  }
}
