package dev.cachet.testing.faults;

import dev.cachet.testing.faults.FaultRun.Phase;
import dev.cachet.testing.faults.FaultRun.Result;
import dev.cachet.testing.faults.FaultRun.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Prints a scenario's figures and appends them as Markdown table rows to {@code
 * target/fault-figures-latency.md} and {@code target/fault-figures-consistency.md}, from which
 * {@code docs/faults.md} is written.
 */
public final class Figures {
  private Figures() {}

  public static String time(long nanos) {
    if (nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE) {
      return "-";
    }
    double ms = nanos / 1e6;
    if (Math.abs(ms) < 1) {
      return String.format("%.0f µs", nanos / 1e3);
    }
    return Math.abs(ms) < 100 ? String.format("%.1f ms", ms) : String.format("%.0f ms", ms);
  }

  /** An added latency; none when the fault made calls faster (they skip the store). */
  private static String added(long nanos) {
    return nanos <= 0 ? "none" : time(nanos);
  }

  public static void report(String store, Result r) {
    Summary before = r.phase(Phase.BEFORE);
    Summary during = r.phase(Phase.DURING);
    Summary recovery = r.phase(Phase.RECOVERY);
    Summary after = r.phase(Phase.AFTER);
    String latency = String.format(
        "| %s | %s | %,d | %d | %s / %s | %s / %s / %s | %s | %d | %s | %s | %s / %s |",
        store, r.scenario(), r.requests(), r.failures(), time(before.p50()), time(before.p99()),
        time(during.p50()), time(during.p99()), time(during.p999()),
        added(during.p99() - before.p99()), during.slow(), time(during.max()),
        time(r.recovered()), time(after.p50()), time(after.p99()));
    String consistency = String.format(
        "| %s | %s | %s | %s | %d | %s | %,d | %s |",
        store, r.scenario(), time(r.faultLength()), time(r.invalidateCall()), r.staleAfterAck(),
        time(r.reachedAfterHeal()), r.bOldAfterAck(), time(r.bLastOldAfterReached()));
    System.out.printf(
        "FAULT %s %s: %,d requests (A: before %,d, during %,d, recovery %,d, after %,d; B %,d),"
            + " %d failed%s; p50/p99 before %s/%s, during %s/%s (%d calls over 100 ms, max %s),"
            + " after %s/%s; hits %s"
            + " after the fault ended; invalidateTags took %s; A old values after ack %d %s;"
            + " invalidation reached the store %s after the fault ended; B old values after"
            + " A's ack %,d, last one started %s after the store had it%n",
        store, r.scenario(), r.requests(), before.requests(), during.requests(),
        recovery.requests(), after.requests(), r.bRequests(), r.failures(),
        r.firstFailure().isEmpty() ? "" : " (first: " + r.firstFailure() + ")", time(before.p50()),
        time(before.p99()), time(during.p50()), time(during.p99()), during.slow(),
        time(during.max()),
        time(after.p50()), time(after.p99()), time(r.recovered()), time(r.invalidateCall()),
        r.staleAfterAck(), r.staleExample(), time(r.reachedAfterHeal()), r.bOldAfterAck(),
        time(r.bLastOldAfterReached()));
    append("target/fault-figures-latency.md", latency);
    append("target/fault-figures-consistency.md", consistency);
  }

  private static void append(String file, String row) {
    try {
      Path path = Path.of(file);
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, row + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
