package dev.cachet.spring.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads the HTTP layer's {@value #TIMER} timers (tags {@code route} and {@code result}) from a
 * registry and sums them per route and per result.
 *
 * <p>Micrometer's percentiles and maximum describe a recent window (about the last
 * {@value #WINDOW_SECONDS} s); its counts, the timer's whole life. A timer whose window is empty
 * has no percentiles ({@code null}), not zeros. Where several timers are merged (one result over
 * every route), each weighs by its requests in the window, which this class learns by keeping, per
 * timer, the counts it read over the last window (by the registry's clock; until it has watched
 * that long, a timer's whole count is taken as recent), and the merged percentiles are those of
 * the mixture of the timers' distributions, each drawn through its percentiles and maximum: an
 * estimate, since the timers publish percentiles and no histogram. Thread-safe.
 */
final class RouteTimers {
  static final String TIMER = "cachet.http.requests";
  /** Micrometer's default percentile window ({@code DistributionStatisticConfig} expiry). */
  static final long WINDOW_SECONDS = 120;
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
  /** Samples closer together than this are not kept: a timer keeps about 120 at most. */
  private static final long SAMPLE_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  /** The timings of one registry read. */
  record Summary(Map<String, StatsReport.Latency> byResult, List<StatsReport.Route> routes) {}

  /** A timer's count at a time of the registry's clock. */
  private record Sample(long nanos, long count) {}

  /** Per timer, its counts read over the last window and a little more, oldest first. */
  private Map<Meter.Id, ArrayDeque<Sample>> samples = new HashMap<>();

  synchronized Summary read(@Nullable MeterRegistry registry) {
    if (registry == null) {
      return new Summary(Map.of(), List.of());
    }
    long now = registry.config().clock().monotonicTime();
    Map<Meter.Id, ArrayDeque<Sample>> seen = new HashMap<>();
    Map<String, Map<String, List<Part>>> perRoute = new TreeMap<>();
    Map<String, List<Part>> overall = new TreeMap<>();
    for (Timer timer : registry.find(TIMER).timers()) {
      String route = timer.getId().getTag("route");
      String result = timer.getId().getTag("result");
      if (route == null || result == null) {
        continue;
      }
      HistogramSnapshot snapshot = timer.takeSnapshot();
      ArrayDeque<Sample> history = samples.getOrDefault(timer.getId(), new ArrayDeque<>());
      seen.put(timer.getId(), history);
      Part part = Part.of(snapshot, recentCount(history, now, snapshot.count()));
      perRoute.computeIfAbsent(route, r -> new TreeMap<>()).computeIfAbsent(result, r -> new ArrayList<>()).add(part);
      overall.computeIfAbsent(result, r -> new ArrayList<>()).add(part);
    }
    samples = seen; // timers removed from the registry are forgotten
    List<StatsReport.Route> routes = new ArrayList<>();
    perRoute.forEach((route, results) -> routes.add(route(route, results)));
    routes.sort(Comparator.comparingLong(StatsReport.Route::requests).reversed()
        .thenComparing(StatsReport.Route::route));
    return new Summary(latencies(overall), routes);
  }

  /**
   * The requests of the last window: the count now less the count read a window ago (or, before
   * this class has watched a window, none less). Records the count now in {@code history}.
   */
  private static long recentCount(ArrayDeque<Sample> history, long now, long count) {
    Sample last = history.peekLast();
    if (last == null || now - last.nanos() >= SAMPLE_SPACING_NANOS || count < last.count()) {
      history.addLast(new Sample(now, count));
    }
    // Keep one sample at or before the window's start, as the baseline.
    while (history.size() > 1) {
      Sample first = history.pollFirst();
      if (now - history.peekFirst().nanos() < WINDOW_NANOS) {
        history.addFirst(first);
        break;
      }
    }
    Sample first = history.peekFirst();
    boolean baseline = first != null && now - first.nanos() >= WINDOW_NANOS && first.count() <= count;
    return baseline ? count - first.count() : count;
  }

  private static StatsReport.Route route(String route, Map<String, List<Part>> results) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long requests = 0;
    for (Map.Entry<String, List<Part>> e : results.entrySet()) {
      long n = 0;
      for (Part p : e.getValue()) {
        n += p.count;
      }
      counts.put(e.getKey(), n);
      requests += n;
    }
    long served = counts.getOrDefault("hit", 0L) + counts.getOrDefault("stale", 0L);
    long lookups = served + counts.getOrDefault("miss", 0L);
    Double hitRate = lookups == 0 ? null : (double) served / lookups;
    return new StatsReport.Route(route, requests, counts, hitRate, latencies(results));
  }

  private static Map<String, StatsReport.Latency> latencies(Map<String, List<Part>> byResult) {
    Map<String, StatsReport.Latency> out = new LinkedHashMap<>();
    byResult.forEach((result, parts) -> out.put(result, merge(parts)));
    return out;
  }

  /** One timer's figures: lifetime count and total, and its window's count, maximum and percentiles. */
  private static final class Part {
    long count;
    double totalMillis;
    long recent;
    double maxMillis;
    /** The window's percentiles, in {@link #PERCENTILES}' order; {@code null} when not published. */
    double @Nullable [] percentiles;

    static Part of(HistogramSnapshot s, long recent) {
      Part p = new Part();
      p.count = s.count();
      p.totalMillis = s.total(TimeUnit.MILLISECONDS);
      p.maxMillis = s.max(TimeUnit.MILLISECONDS);
      double[] values = new double[PERCENTILES.length];
      int found = 0;
      for (ValueAtPercentile v : s.percentileValues()) {
        for (int i = 0; i < PERCENTILES.length; i++) {
          if (Math.abs(v.percentile() - PERCENTILES[i]) < 1e-9) {
            values[i] = v.value(TimeUnit.MILLISECONDS);
            found++;
          }
        }
      }
      p.percentiles = found == PERCENTILES.length ? values : null;
      // Micrometer answers zero percentiles for an empty window: nothing was timed in it. (Its
      // maximum has a window of its own, which may end later or sooner.)
      boolean empty = p.percentiles != null ? values[PERCENTILES.length - 1] == 0 : p.maxMillis == 0;
      if (empty) {
        p.recent = 0;
        p.maxMillis = 0;
      } else {
        p.recent = Math.max(1, recent);
        p.maxMillis = p.percentiles == null ? p.maxMillis : Math.max(p.maxMillis, values[PERCENTILES.length - 1]);
      }
      return p;
    }

    /** The share of this timer's recent requests that took at most {@code x} ms, drawn through its percentiles. */
    double cdf(double x) {
      double[] p = percentiles;
      double top = Math.max(maxMillis, p[p.length - 1]);
      double prevX = 0;
      double prevQ = 0;
      for (int i = 0; i <= p.length; i++) {
        double kx = i < p.length ? p[i] : top;
        double kq = i < p.length ? PERCENTILES[i] : 1;
        if (x < kx) {
          return kx == prevX ? prevQ : prevQ + (kq - prevQ) * (x - prevX) / (kx - prevX);
        }
        prevX = kx;
        prevQ = kq;
      }
      return 1;
    }
  }

  private static StatsReport.Latency merge(List<Part> parts) {
    long count = 0;
    long recent = 0;
    double total = 0;
    double max = 0;
    List<Part> timed = new ArrayList<>();
    boolean published = false;
    for (Part p : parts) {
      count += p.count;
      total += p.totalMillis;
      recent += p.recent;
      max = Math.max(max, p.maxMillis);
      published |= p.percentiles != null;
      if (p.recent > 0 && p.percentiles != null) {
        timed.add(p);
      }
    }
    Double[] percentiles = new Double[PERCENTILES.length];
    for (int i = 0; i < PERCENTILES.length; i++) {
      percentiles[i] = timed.isEmpty() ? null : quantile(timed, PERCENTILES[i]);
    }
    return new StatsReport.Latency(
        count, total, count == 0 ? 0 : total / count, recent == 0 ? null : max, recent,
        published ? percentiles[0] : null, published ? percentiles[1] : null, published ? percentiles[2] : null);
  }

  /** The {@code q} quantile of the mixture of {@code parts}, each weighing its recent requests. */
  private static double quantile(List<Part> parts, double q) {
    if (parts.size() == 1) {
      return parts.get(0).percentiles[indexOf(q)];
    }
    double weight = 0;
    double hi = 0;
    for (Part p : parts) {
      weight += p.recent;
      hi = Math.max(hi, Math.max(p.maxMillis, p.percentiles[PERCENTILES.length - 1]));
    }
    double target = q * weight;
    double lo = 0;
    for (int step = 0; step < 60 && hi - lo > 1e-6; step++) {
      double mid = (lo + hi) / 2;
      double below = 0;
      for (Part p : parts) {
        below += p.recent * p.cdf(mid);
      }
      if (below >= target) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private static int indexOf(double q) {
    for (int i = 0; i < PERCENTILES.length; i++) {
      if (PERCENTILES[i] == q) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a published percentile: " + q);
  }
}
