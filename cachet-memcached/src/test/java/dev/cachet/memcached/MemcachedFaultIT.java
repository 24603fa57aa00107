package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One of two servers fails while four threads read through Cachet: callers never see an error,
 * keys on the surviving server keep hitting, and the failed server costs a bounded number of
 * timeouts, not one per call.
 */
class MemcachedFaultIT {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final int THREADS = 4;
  private static final int CALLS = 1000;
  private static final int KEYS = 200;
  private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final MutableClock clock = new MutableClock(Instant.now());
  private final CachePolicy policy = CachePolicy.ofTtl(TTL);
  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
  private MemcachedServer first;
  private MemcachedServer second;
  private MemcachedStore store;
  private Cachet cachet;
  private String ns;
  private MemcachedServer live;
  private MemcachedServer victim;
  private final List<String> liveKeys = new ArrayList<>();
  private final List<String> victimKeys = new ArrayList<>();

  @BeforeEach
  void setUp() {
    first = MemcachedServer.start();
    second = MemcachedServer.start();
    store = MemcachedStore.builder()
        .servers(first.address() + "," + second.address())
        .clock(clock) // circuits stay open until the test advances it
        .build();
    ns = "f" + UUID.randomUUID().toString().substring(0, 8);
    cachet = Cachet.builder().store(store).namespace(ns).build();
    // Every read checks the namespace version: the server holding it must be the one that lives.
    KeyMapper keys = new KeyMapper(ns);
    String nsServer = store.serverOf(keys.namespaceVersionKey());
    live = nsServer.equals(first.address()) ? first : second;
    victim = live == first ? second : first;
    for (int i = 0; i < KEYS; i++) {
      String key = "key" + i;
      (store.serverOf(keys.entryKey(key)).equals(live.address()) ? liveKeys : victimKeys).add(key);
    }
    assertThat(liveKeys).isNotEmpty();
    assertThat(victimKeys).isNotEmpty();
  }

  @AfterEach
  void tearDown() {
    cachet.close();
    first.close();
    second.close();
  }

  private String read(String key) {
    return cachet.get(key, Codecs.utf8(), policy, () -> {
      loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return "value-" + key;
    });
  }

  private int loadsOf(List<String> keys) {
    return keys.stream().mapToInt(k -> loads.getOrDefault(k, new AtomicInteger()).get()).sum();
  }

  /** What the callers saw during the load. */
  private record Outcome(List<Throwable> errors, int slowCalls, long maxNanos, long elapsedNanos) {}

  /** Four threads read every key in turn; {@code fault} runs once 10% of the calls are done. */
  private Outcome underLoad(Runnable fault) throws InterruptedException {
    List<String> all = new ArrayList<>(liveKeys);
    all.addAll(victimKeys);
    all.forEach(this::read); // warm: everything cached
    loads.clear();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger slow = new AtomicInteger();
    AtomicLong max = new AtomicLong();
    CountDownLatch warmedUp = new CountDownLatch(THREADS * CALLS / 10);
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      int offset = t * 37;
      Thread caller = new Thread(() -> {
        for (int i = 0; i < CALLS; i++) {
          String key = all.get((offset + i) % all.size());
          long began = System.nanoTime();
          try {
            if (!read(key).equals("value-" + key)) {
              errors.add(new AssertionError("wrong value for " + key));
            }
          } catch (Throwable e) {
            errors.add(e);
          }
          long took = System.nanoTime() - began;
          max.accumulateAndGet(took, Math::max);
          if (took > SLOW_NANOS) {
            slow.incrementAndGet();
          }
          warmedUp.countDown();
        }
      }, "caller-" + t);
      caller.start();
      threads.add(caller);
    }
    assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
    fault.run();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(thread.isAlive()).as("caller thread finished").isFalse();
    }
    return new Outcome(List.copyOf(errors), slow.get(), max.get(), System.nanoTime() - start);
  }

  private static void report(String name, Outcome outcome) {
    System.out.printf("%s: %d calls in %d ms, %d slower than 200 ms, slowest %d ms%n", name,
        THREADS * CALLS, TimeUnit.NANOSECONDS.toMillis(outcome.elapsedNanos()), outcome.slowCalls(),
        TimeUnit.NANOSECONDS.toMillis(outcome.maxNanos()));
  }

  @Test
  void aKilledServerCostsNothingAndTheOtherKeepsServing() throws Exception {
    Outcome outcome = underLoad(victim::kill);
    report("kill", outcome);

    assertThat(outcome.errors()).isEmpty();
    assertThat(loadsOf(liveKeys)).as("loads of keys on the live server").isZero();
    assertThat(loadsOf(victimKeys)).as("loads of keys on the killed server").isPositive();
    // Once the client sees the connection drop, calls fail at once. Only requests already written
    // to the dying connection wait out their timeout: about one per thread (twice leaves room for
    // a slow machine). Without fail-fast: ~2,000 calls x 250 ms.
    assertThat(outcome.slowCalls()).isLessThanOrEqualTo(2 * THREADS);
    assertThat(outcome.elapsedNanos()).isLessThan(TimeUnit.SECONDS.toNanos(30));
    assertThat(store.serverStates())
        .containsEntry(live.address(), State.CLOSED)
        .containsEntry(victim.address(), State.OPEN);
    assertThat(store.circuitState()).as("the worst server's state").isEqualTo(State.OPEN);
    assertThat(cachet.stats().storeErrors()).isPositive();

    // A fresh process on the same port: once the client has reconnected, a probe closes the
    // circuit and the server's keys are cached again.
    victim.restart();
    String key = victimKeys.get(0);
    awaitRecovery(key);
    int before = loads.get(key).get();
    read(key);
    assertThat(loads.get(key)).hasValue(before);
  }

  @Test
  void aFrozenServerCostsOnlyTheTimeoutsThatOpenItsCircuit() throws Exception {
    // SIGSTOP: connections stay up but nothing answers, so every call would wait its 250 ms.
    Outcome outcome = underLoad(victim::pause);
    report("pause", outcome);

    assertThat(outcome.errors()).isEmpty();
    assertThat(loadsOf(liveKeys)).as("loads of keys on the live server").isZero();
    assertThat(loadsOf(victimKeys)).isPositive();
    // Five failures open the circuit; at most one call per thread was already waiting, and a miss
    // may wait twice (read, then write back). Without the circuit: ~2,000 calls x 250 ms or more.
    assertThat(outcome.slowCalls()).isLessThanOrEqualTo(5 + 2 * THREADS);
    assertThat(outcome.elapsedNanos()).isLessThan(TimeUnit.SECONDS.toNanos(30));
    assertThat(store.serverStates())
        .containsEntry(live.address(), State.CLOSED)
        .containsEntry(victim.address(), State.OPEN);

    // Thawed, the server still holds its items: after the open period one probe closes the
    // circuit and its keys hit again.
    victim.resume();
    String key = victimKeys.get(0);
    awaitRecovery(key);
    assertThat(store.serverStates()).containsEntry(victim.address(), State.CLOSED);
    assertThat(store.circuitState()).isEqualTo(State.CLOSED);
  }

  @Test
  void aServerDownAtStartIsKeptInTheRingAndFailsFast() {
    victim.kill();
    try (MemcachedStore late = MemcachedStore.builder()
        .servers(first.address() + "," + second.address())
        .build();
        Cachet other = Cachet.builder().store(late).namespace(ns).build()) {
      for (String key : liveKeys) {
        other.put(key, "late-" + key, Codecs.utf8(), policy);
        assertThat(other.getIfPresent(key, Codecs.utf8())).isEqualTo("late-" + key);
      }
      long began = System.nanoTime();
      for (String key : victimKeys) {
        assertThat(other.get(key, Codecs.utf8(), policy, () -> "loaded")).isEqualTo("loaded");
      }
      assertThat(System.nanoTime() - began).isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(late.serverStates()).containsEntry(victim.address(), State.OPEN);
    }
  }

  /** Advances past the open period until a read of {@code key} is stored and then served. */
  private void awaitRecovery(String key) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      clock.advance(Duration.ofSeconds(6));
      read(key);
      if (store.serverStates().get(victim.address()) == State.CLOSED
          && cachet.peek(key, Codecs.utf8()) != null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the server's circuit did not close again");
      }
      Thread.onSpinWait();
    }
  }
}
