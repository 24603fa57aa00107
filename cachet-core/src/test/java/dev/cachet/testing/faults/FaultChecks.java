package dev.cachet.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testing.faults.FaultRun.Phase;
import dev.cachet.testing.faults.FaultRun.Result;
import java.time.Duration;

/**
 * The checks every fault scenario of a remote store must pass, after its figures are reported.
 * The bounds follow the stores' settings: a 250 ms operation timeout, a 1 s circuit open period.
 */
public final class FaultChecks {
  public static final Duration TIMEOUT = Duration.ofMillis(250); // the stores' operation timeout
  public static final Duration OPEN = Duration.ofSeconds(1); // the stores' circuit open period
  public static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

  private FaultChecks() {}

  /**
   * Zero failed calls; no old value on A once its invalidation returned; an invalidation call
   * that costs about a operation timeout at most; hits again, and the invalidation in the store,
   * within {@code recoveryBound} of the fault's end; B serving the old value no later than
   * {@code bLag} after the store had the invalidation.
   */
  public static void common(String store, Result r, Duration bLag, Duration recoveryBound) {
    Figures.report(store, r);
    assertThat(r.failures())
        .as("calls that failed because of the cache; first: %s", r.firstFailure())
        .isZero();
    assertThat(r.phase(Phase.BEFORE).hits()).as("hits before the fault").isPositive();
    assertThat(r.phase(Phase.DURING).requests()).as("calls during the fault").isPositive();
    assertThat(r.staleAfterAck())
        .as("reads on A that started after invalidateTags returned and got the old value: %s",
            r.staleExample())
        .isZero();
    assertThat(Duration.ofNanos(r.invalidateCall()))
        .as("invalidateTags returns within about one operation timeout")
        .isLessThan(TIMEOUT.multipliedBy(4));
    assertThat(Duration.ofNanos(r.recovered()))
        .as("A serves hits again after the fault ended")
        .isLessThan(recoveryBound);
    assertThat(Duration.ofNanos(r.reachedAfterHeal()))
        .as("A's invalidation reached %s after the fault ended", store)
        .isLessThan(recoveryBound);
    assertThat(r.bLastOldAfterReached())
        .as("B served the old value this long (ns) after %s had the invalidation", store)
        .isLessThanOrEqualTo(bLag.toNanos());
  }

  /**
   * With the circuit open a call costs far less than a operation timeout, and only a few calls pay
   * one: those in flight when the fault began, those that open the circuit, one probe per open
   * period, each perhaps twice (a read, then the write of a load). Without the circuit, every one
   * of the hundreds of thousands of calls would.
   */
  public static void failsFast(Result r) {
    FaultRun.Summary during = r.phase(Phase.DURING);
    assertThat(Duration.ofNanos(during.p50())).isLessThan(TIMEOUT.dividedBy(25));
    assertThat(Duration.ofNanos(during.p99())).isLessThan(TIMEOUT);
    long openPeriods = 1 + r.faultLength() / OPEN.toNanos();
    assertThat(during.slow())
        .as("calls over 100 ms during the fault")
        .isLessThanOrEqualTo(2 * (FaultRun.THREADS + 5 + openPeriods));
  }
}
