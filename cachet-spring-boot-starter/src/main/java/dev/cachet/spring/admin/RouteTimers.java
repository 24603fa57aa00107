package dev.cachet.spring.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads the HTTP layer's {@value #TIMER} timers (tags {@code route} and {@code result}) from a
 * registry and sums them per route and per result. Stateless and thread-safe.
 */
final class RouteTimers {
  static final String TIMER = "cachet.http.requests";

  /** The timings of one registry read. */
  record Summary(Map<String, StatsReport.Latency> byResult, List<StatsReport.Route> routes) {}

  private RouteTimers() {}

  static Summary read(@Nullable MeterRegistry registry) {
    if (registry == null) {
      return new Summary(Map.of(), List.of());
    }
    Map<String, Map<String, Accumulator>> perRoute = new TreeMap<>();
    Map<String, Accumulator> overall = new TreeMap<>();
    for (Timer timer : registry.find(TIMER).timers()) {
      String route = timer.getId().getTag("route");
      String result = timer.getId().getTag("result");
      if (route == null || result == null) {
        continue;
      }
      HistogramSnapshot snapshot = timer.takeSnapshot();
      perRoute.computeIfAbsent(route, r -> new TreeMap<>()).computeIfAbsent(result, r -> new Accumulator()).add(snapshot);
      overall.computeIfAbsent(result, r -> new Accumulator()).add(snapshot);
    }
    List<StatsReport.Route> routes = new ArrayList<>();
    perRoute.forEach((route, results) -> routes.add(route(route, results)));
    routes.sort(Comparator.comparingLong(StatsReport.Route::requests).reversed()
        .thenComparing(StatsReport.Route::route));
    return new Summary(latencies(overall), routes);
  }

  private static StatsReport.Route route(String route, Map<String, Accumulator> results) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long requests = 0;
    for (Map.Entry<String, Accumulator> e : results.entrySet()) {
      counts.put(e.getKey(), e.getValue().count);
      requests += e.getValue().count;
    }
    long served = counts.getOrDefault("hit", 0L) + counts.getOrDefault("stale", 0L);
    long lookups = served + counts.getOrDefault("miss", 0L);
    Double hitRate = lookups == 0 ? null : (double) served / lookups;
    return new StatsReport.Route(route, requests, counts, hitRate, latencies(results));
  }

  private static Map<String, StatsReport.Latency> latencies(Map<String, Accumulator> byResult) {
    Map<String, StatsReport.Latency> out = new LinkedHashMap<>();
    byResult.forEach((result, acc) -> out.put(result, acc.latency()));
    return out;
  }

  /** Sums snapshots; percentiles are weighted by each snapshot's count. Not thread-safe. */
  private static final class Accumulator {
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    long count;
    double totalMillis;
    double maxMillis;
    final double[] weighted = new double[PERCENTILES.length];
    final long[] weights = new long[PERCENTILES.length];

    void add(HistogramSnapshot s) {
      count += s.count();
      totalMillis += s.total(TimeUnit.MILLISECONDS);
      maxMillis = Math.max(maxMillis, s.max(TimeUnit.MILLISECONDS));
      for (ValueAtPercentile v : s.percentileValues()) {
        for (int i = 0; i < PERCENTILES.length; i++) {
          if (Math.abs(v.percentile() - PERCENTILES[i]) < 1e-9) {
            // A timer idle for a while has an empty window: weight it by at least 1 all the same.
            long w = Math.max(1, s.count());
            weighted[i] += v.value(TimeUnit.MILLISECONDS) * w;
            weights[i] += w;
          }
        }
      }
    }

    StatsReport.Latency latency() {
      return new StatsReport.Latency(
          count, totalMillis, count == 0 ? 0 : totalMillis / count, maxMillis,
          percentile(0), percentile(1), percentile(2));
    }

    private @Nullable Double percentile(int i) {
      return weights[i] == 0 ? null : weighted[i] / weights[i];
    }
  }
}
