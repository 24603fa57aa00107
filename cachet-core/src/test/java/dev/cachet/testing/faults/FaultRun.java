package dev.cachet.testing.faults;

import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.Loaded;
import dev.cachet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One fault scenario under load. {@value #THREADS} caller threads read through Cachet A: 80% of
 * calls {@code fetch} one of {@value #HOT_KEYS} hot keys tagged {@value #TAG} (hits), 20% {@code
 * get} a key never asked before (misses); every loader is trivial. One more thread reads the hot
 * keys through Cachet B, which has its own store connection: another process's view.
 *
 * <p>Phases: {@code WARMUP} and {@code BEFORE} (no fault), {@code DURING} (the fault is on; a
 * third of the way in, the hot tag is invalidated on A), {@code RECOVERY} (the fault has ended;
 * until A serves a hit again and the invalidation has reached the store), {@code AFTER} (a short
 * steady tail). Hot values carry a generation, {@code g0:} before the invalidation and {@code
 * g1:} after, so a pre-invalidation value is recognised wherever it shows up.
 *
 * <p>A caller sees a failure when a call throws or returns a value that is not the loader's value
 * for its key. Waits are the fault's own duration and polls with deadlines.
 */
public final class FaultRun {
  public static final int THREADS = 4;
  public static final int HOT_KEYS = 64;
  public static final int HOT_PERCENT = 80;
  public static final String TAG = "hot";
  public static final CachePolicy HOT =
      CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags(TAG).build();
  public static final CachePolicy FRESH = CachePolicy.ofTtl(Duration.ofSeconds(30));
  public static final Duration WARMUP = Duration.ofMillis(500);
  public static final Duration BEFORE = Duration.ofMillis(800);
  public static final Duration AFTER = Duration.ofMillis(800);
  public static final int RECOVERY_SECONDS = 10;
  public static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(RECOVERY_SECONDS);
  /** A call slower than this paid for the store (a timeout, a slow round trip), not for Cachet. */
  public static final long SLOW_NANOS = Duration.ofMillis(100).toNanos();

  /** {@code WARMUP} lets the JIT compile the paths; it is not reported. */
  public enum Phase { WARMUP, BEFORE, DURING, RECOVERY, AFTER }

  /** Starts and ends a fault; {@link #end} returns once it is over (e.g. the server answers). */
  public interface Fault {
    void begin() throws Exception;

    void end() throws Exception;
  }

  /** Figures of one phase, A's callers only; {@code slow} counts calls over 100 ms. */
  public record Summary(
      long requests, long failures, long hits, long slow, long p50, long p99, long p999,
      long max) {}

  /**
   * Everything measured. Times are nanoseconds; {@code reachedAfterHeal} is negative when the
   * invalidation reached the store while the fault was still on; {@code recovered} and {@code
   * reachedAfterHeal} are {@link Long#MAX_VALUE} when that did not happen within {@value
   * FaultRun#RECOVERY_SECONDS} s; {@code bLastOldAfterReached} is {@link Long#MIN_VALUE} when B
   * never served the old value after A's acknowledgement.
   */
  public record Result(
      String scenario, Map<Phase, Summary> phases, long failures, String firstFailure,
      long invalidateCall, long staleAfterAck, String staleExample, long faultLength,
      long recovered, long reachedAfterHeal, long bRequests, long bFailures, long bOldAfterAck,
      long bLastOldAfterReached) {

    public long requests() {
      return phases.values().stream().mapToLong(Summary::requests).sum() + bRequests;
    }

    public Summary phase(Phase p) {
      return phases.get(p);
    }
  }

  private final Cachet a;
  private final Cachet b;
  private final RecordingStore recorder;
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicLongArray progress = new AtomicLongArray(Phase.values().length);
  private final AtomicLong staleAfterAck = new AtomicLong();
  private final AtomicReference<String> staleExample = new AtomicReference<>("");
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private final AtomicLong firstHitAfterHeal = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong bRequests = new AtomicLong();
  private final AtomicLong bFailures = new AtomicLong();
  private final AtomicLong bOldAfterAck = new AtomicLong();
  private final AtomicLong bLastOldStart = new AtomicLong(Long.MIN_VALUE);
  private volatile Phase phase = Phase.WARMUP;
  private volatile long ackedAt = Long.MAX_VALUE;
  private volatile long healedAt = Long.MAX_VALUE;
  private volatile boolean stop;

  /** @param recorder A's store, watching the hard version key of {@value #TAG} */
  public FaultRun(Cachet a, RecordingStore recorder, Cachet b) {
    this.a = a;
    this.recorder = recorder;
    this.b = b;
  }

  private String hotValue(String key) {
    return "g" + generation.get() + ":" + key;
  }

  /** The generation of a hot value; throws when it is not a loader's value for {@code key}. */
  private static int generationOf(String value, String key) {
    if (value == null || !value.startsWith("g") || !value.endsWith(":" + key)) {
      throw new AssertionError("wrong value for " + key + ": " + value);
    }
    return Integer.parseInt(value.substring(1, value.length() - key.length() - 1));
  }

  /** Per caller thread, per phase; read only after the thread has ended. */
  private static final class Tally {
    final LatencyHistogram latency = new LatencyHistogram();
    long failures;
    long hits;
    long slow;

    void record(long nanos) {
      latency.record(nanos);
      if (nanos > SLOW_NANOS) {
        slow++;
      }
    }
  }

  private void caller(int id, Map<Phase, Tally> tallies) {
    SplittableRandom random = new SplittableRandom(id);
    long fresh = 0;
    while (!stop) {
      Phase p = phase;
      Tally tally = tallies.get(p);
      boolean hot = random.nextInt(100) < HOT_PERCENT;
      long start = System.nanoTime();
      try {
        if (hot) {
          String key = "h" + random.nextInt(HOT_KEYS);
          CacheResult<String> r = a.fetch(key, Codecs.utf8(), HOT, () -> Loaded.of(hotValue(key)));
          long end = System.nanoTime();
          tally.record(end - start);
          if (generationOf(r.value(), key) == 0 && start > ackedAt) {
            staleAfterAck.incrementAndGet();
            staleExample.compareAndSet("", key + " -> " + r.value() + " (" + r.status() + ")");
          }
          if (r.status() == CacheResult.Status.HIT) {
            tally.hits++;
            if (start > healedAt) {
              firstHitAfterHeal.accumulateAndGet(end, Math::min);
            }
          }
        } else {
          String key = "f" + id + "-" + fresh++;
          String value = a.get(key, Codecs.utf8(), FRESH, () -> "f:" + key);
          tally.record(System.nanoTime() - start);
          if (!("f:" + key).equals(value)) {
            throw new AssertionError("wrong value for " + key + ": " + value);
          }
        }
      } catch (Throwable e) {
        tally.failures++;
        firstFailure.compareAndSet(null, e);
      }
      progress.incrementAndGet(p.ordinal());
    }
  }

  private void otherInstance() {
    SplittableRandom random = new SplittableRandom(99);
    while (!stop) {
      String key = "h" + random.nextInt(HOT_KEYS);
      long start = System.nanoTime();
      try {
        String value = b.get(key, Codecs.utf8(), HOT, () -> hotValue(key));
        if (generationOf(value, key) == 0 && start > ackedAt) {
          bOldAfterAck.incrementAndGet();
          bLastOldStart.accumulateAndGet(start, Math::max);
        }
      } catch (Throwable e) {
        bFailures.incrementAndGet();
        firstFailure.compareAndSet(null, e);
      }
      bRequests.incrementAndGet();
    }
  }

  /** Runs the scenario: warm-up, before, the fault for {@code faultLength}, recovery, after. */
  public Result run(String scenario, Duration faultLength, Fault fault) throws Exception {
    for (int k = 0; k < HOT_KEYS; k++) {
      String key = "h" + k;
      a.get(key, Codecs.utf8(), HOT, () -> hotValue(key));
      b.get(key, Codecs.utf8(), HOT, () -> hotValue(key));
    }
    List<Map<Phase, Tally>> tallies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Map<Phase, Tally> mine = new EnumMap<>(Phase.class);
      for (Phase p : Phase.values()) {
        mine.put(p, new Tally());
      }
      tallies.add(mine);
      int id = t;
      threads.add(new Thread(() -> caller(id, mine), "caller-" + t));
    }
    threads.add(new Thread(this::otherInstance, "other-instance"));
    threads.forEach(Thread::start);
    long faultStart;
    long acked;
    long invalidateCall;
    long healed;
    try {
      waitFor(WARMUP, "load while warming up", () -> progress.get(Phase.WARMUP.ordinal()) >= 2000);
      phase = Phase.BEFORE;
      waitFor(BEFORE, "load before the fault", () -> progress.get(Phase.BEFORE.ordinal()) >= 1000);
      phase = Phase.DURING;
      faultStart = System.nanoTime();
      fault.begin();
      waitUntil(faultStart + faultLength.toNanos() / 3);
      generation.set(1); // loads from now on return the new value
      recorder.arm();
      long call = System.nanoTime();
      a.invalidateTags(TAG);
      acked = System.nanoTime();
      ackedAt = acked;
      invalidateCall = acked - call;
      waitUntil(faultStart + faultLength.toNanos());
      phase = Phase.RECOVERY;
      fault.end();
      healed = System.nanoTime();
      healedAt = healed;
      // No failure here when it never happens: the figures are reported, then the test asserts.
      long deadline = healed + RECOVERY_DEADLINE.toNanos();
      Poll.until(RECOVERY_DEADLINE.plusSeconds(1), "recovery or its deadline", () ->
          (firstHitAfterHeal.get() != Long.MAX_VALUE && recorder.reachedAt() != Long.MAX_VALUE)
              || System.nanoTime() - deadline > 0);
      phase = Phase.AFTER;
      waitFor(AFTER, "load after the fault", () -> progress.get(Phase.AFTER.ordinal()) >= 100);
    } finally {
      stop = true;
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
          throw new AssertionError(thread.getName() + " is stuck in a cache call");
        }
      }
    }
    return result(scenario, tallies, faultStart, acked, invalidateCall, healed);
  }

  private Result result(
      String scenario, List<Map<Phase, Tally>> tallies, long faultStart, long acked,
      long invalidateCall, long healed) {
    Map<Phase, Summary> phases = new EnumMap<>(Phase.class);
    long failures = 0;
    for (Phase p : Phase.values()) {
      if (p == Phase.WARMUP) {
        continue;
      }
      LatencyHistogram all = new LatencyHistogram();
      long phaseFailures = 0;
      long hits = 0;
      long slow = 0;
      for (Map<Phase, Tally> thread : tallies) {
        Tally t = thread.get(p);
        all.add(t.latency);
        phaseFailures += t.failures;
        hits += t.hits;
        slow += t.slow;
      }
      failures += phaseFailures;
      phases.put(p, new Summary(
          all.count() + phaseFailures, phaseFailures, hits, slow, all.percentileNanos(0.5),
          all.percentileNanos(0.99), all.percentileNanos(0.999), all.maxNanos()));
    }
    long reached = recorder.reachedAt();
    long lastOld = bLastOldStart.get();
    Throwable first = firstFailure.get();
    return new Result(
        scenario, phases, failures + bFailures.get(), first == null ? "" : first.toString(),
        invalidateCall, staleAfterAck.get(), staleExample.get(), healed - faultStart,
        since(firstHitAfterHeal.get(), healed), since(reached, healed), bRequests.get(),
        bFailures.get(), bOldAfterAck.get(),
        lastOld == Long.MIN_VALUE || reached == Long.MAX_VALUE
            ? Long.MIN_VALUE
            : lastOld - reached);
  }

  private static long since(long time, long base) {
    return time == Long.MAX_VALUE ? Long.MAX_VALUE : time - base;
  }

  /** Waits at least {@code minimum}, and until {@code enough} holds (with a 20 s deadline). */
  private static void waitFor(Duration minimum, String what, BooleanSupplier enough) {
    waitUntil(System.nanoTime() + minimum.toNanos());
    Poll.until(RECOVERY_DEADLINE, what, enough);
  }

  /** Waits until {@link System#nanoTime()} passes {@code deadline}: the fault's own duration. */
  private static void waitUntil(long deadline) {
    Poll.until(Duration.ofMinutes(1), "a point in time", () -> System.nanoTime() - deadline >= 0);
  }
}
