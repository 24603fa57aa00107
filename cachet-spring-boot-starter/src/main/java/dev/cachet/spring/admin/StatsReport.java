package dev.cachet.spring.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one cache's counters (since it was built) and of the HTTP layer's per-route
 * timings, as the admin API, the dashboard and the actuator endpoint show them. Immutable.
 *
 * @param namespace the cache's namespace
 * @param timestamp when the snapshot was taken, epoch milliseconds
 * @param hits fresh entries served
 * @param staleHits stale entries served
 * @param misses lookups that found nothing servable
 * @param requests hits, stale hits and misses
 * @param hitRate share of lookups served from the cache, or {@code null} before the first lookup
 * @param loads loader runs that completed
 * @param loadFailures loader runs that threw
 * @param storeErrors store calls that failed and were read as misses
 * @param corruptEntries stored entries that could not be read
 * @param evictions entries the store evicted for size
 * @param invalidations invalidation calls
 * @param latency HTTP latency by result ({@code hit}, {@code miss}, {@code stale}, {@code skip},
 *     {@code bypass}) over every route
 * @param routes HTTP routes, busiest first
 */
public record StatsReport(
    String namespace,
    long timestamp,
    long hits,
    long staleHits,
    long misses,
    long requests,
    @Nullable Double hitRate,
    long loads,
    long loadFailures,
    long storeErrors,
    long corruptEntries,
    long evictions,
    long invalidations,
    Map<String, Latency> latency,
    List<Route> routes) {

  public StatsReport {
    Objects.requireNonNull(namespace, "namespace");
    latency = Map.copyOf(latency);
    routes = List.copyOf(routes);
  }

  /**
   * Latency of one group of HTTP requests. The count, total and mean cover every request since
   * the start; the maximum and percentiles, Micrometer's recent window (about the last two
   * minutes), and are {@code null} when nothing was timed in it (or, for the percentiles, when the
   * timer publishes none). Over several routes the percentiles are estimated from the mixture of
   * each route's distribution, weighted by its requests in the window.
   *
   * @param count requests timed
   * @param totalMillis their total time
   * @param meanMillis their mean time
   * @param maxMillis the longest recent one
   * @param recentCount requests in the window, as far as the admin API has watched it (before it
   *     has watched for a whole window, a timer's count is taken as recent)
   */
  public record Latency(
      long count, double totalMillis, double meanMillis, @Nullable Double maxMillis, long recentCount,
      @Nullable Double p50, @Nullable Double p95, @Nullable Double p99) {}

  /**
   * One HTTP route, as the HTTP layer tags it (for example {@code GET /spaces/{spaceId}}).
   *
   * @param requests requests of every result
   * @param results request counts by result
   * @param hitRate hits and stale hits over hits, stale hits and misses; {@code null} when none
   * @param latency latency by result
   */
  public record Route(
      String route, long requests, Map<String, Long> results, @Nullable Double hitRate,
      Map<String, Latency> latency) {
    public Route {
      Objects.requireNonNull(route, "route");
      results = Map.copyOf(results);
      latency = Map.copyOf(latency);
    }
  }
}
