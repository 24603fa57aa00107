package dev.cachet.testing.faults;

import java.util.Arrays;

/**
 * Latencies in logarithmic buckets 2% wide, so a run of millions of calls costs a fixed 10 KB:
 * percentiles are reported as their bucket's upper bound (at most 2% high). Not thread-safe: one
 * per thread, merged at the end.
 */
public final class LatencyHistogram {
  private static final double GROWTH = Math.log(1.02);
  private static final int BUCKETS = 1_300; // 1.02^1300 ns is far beyond any run

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  public void record(long nanos) {
    long n = Math.max(1, nanos);
    counts[Math.min(BUCKETS - 1, (int) (Math.log(n) / GROWTH))]++;
    total++;
    max = Math.max(max, n);
  }

  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  public long count() {
    return total;
  }

  public long maxNanos() {
    return max;
  }

  /** The latency that {@code quantile} (0 to 1) of the calls did not exceed; 0 when empty. */
  public long percentileNanos(double quantile) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, (long) Math.ceil(Math.exp((i + 1) * GROWTH)));
      }
    }
    return max;
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + Arrays.toString(new long[] {total, percentileNanos(0.5), max});
  }
}
