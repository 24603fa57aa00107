package dev.cachet.internal;

import dev.cachet.AsyncEntryLoader;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Codec;
import dev.cachet.StaleRefresh;
import dev.cachet.internal.VersionGuard.Captured;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A stale entry refreshed by the caller that found it ({@link StaleRefresh#FOREGROUND}): the
 * caller loads as on a miss and gets the new value, while every other caller finds its load
 * running and gets the stale value at once.
 *
 * <p>Why: a background refresh runs the loader on the refresh executor, and some loaders can
 * only run on their caller's thread (a request's handler), and then only with that caller's own
 * client waiting for the answer, when the handler answers after its thread returned. Refreshing
 * in the foreground keeps what a background refresh guarantees: one load per key at a time, the
 * versions captured before it runs (so a racing invalidation is never lost), the stale entry
 * untouched when it fails. Thread-safe.
 */
final class ForegroundRefresh {
  private final ReadThrough readThrough;
  private final Flights flights;
  private final VersionGuard versions;
  private final StatsCounter stats;
  private final Clock clock;
  private final long maxWaitMillis;

  ForegroundRefresh(ReadThrough readThrough, Flights flights, VersionGuard versions, StatsCounter stats,
      Clock clock, Duration maxWait) {
    this.readThrough = readThrough;
    this.flights = flights;
    this.versions = versions;
    this.stats = stats;
    this.clock = clock;
    this.maxWaitMillis = maxWait.toMillis();
  }

  /**
   * Refreshes {@code stale} with this caller's load, or answers it stale while another load of
   * the key runs (or when no versions can be captured to store a value with).
   *
   * @param finishedBefore {@link Flights#ended()} before the caller's lookup
   */
  <V> CompletableFuture<CacheResult<V>> refresh(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      EntryReader.Servable<V> stale, long finishedBefore) {
    Flight running = flights.get(storeKey);
    if (running != null && !overdue(running)) {
      return staleNow(stale);
    }
    Captured captured = versions.capture(policy.tags());
    if (captured == null) {
      return staleNow(stale); // nothing it loaded could be stored: the entry stays as it is
    }
    Flight mine = new Flight(key, captured, clock.millis());
    boolean leads = running == null
        ? flights.putIfAbsent(storeKey, mine) == null
        : flights.replace(storeKey, running, mine);
    if (!leads) {
      return staleNow(stale); // another caller started first
    }
    if (running != null) {
      running.poison(); // abandoned: out of the map, its value, should it come, is never written
    }
    stats.miss();
    if (flights.ended() != finishedBefore) {
      CacheResult<V> landed = readThrough.landedMeanwhile(key, storeKey, codec, mine);
      if (landed != null) {
        return CompletableFuture.completedFuture(landed);
      }
    }
    return readThrough.lead(key, storeKey, codec, policy, loader, mine, stale, stale.entry().createdAt(), true)
        .exceptionallyCompose(e -> {
          // A refresh that fails inside the window that made the entry servable serves it, as a
          // background refresh's failure would: the stale value stays what this caller gets.
          if (clock.millis() < stale.timeline().staleWhileRevalidateUntil()) {
            return staleNow(stale);
          }
          return CompletableFuture.failedFuture(ReadThrough.unchecked(key, ReadThrough.unwrap(e)));
        });
  }

  /** A load no thread runs that began at least {@code maxWait} ago: it may never complete. */
  private boolean overdue(Flight flight) {
    return flight.async() && clock.millis() - flight.startedAt >= maxWaitMillis;
  }

  private <V> CompletableFuture<CacheResult<V>> staleNow(EntryReader.Servable<V> stale) {
    stats.staleHit();
    return CompletableFuture.completedFuture(stale.result(Status.STALE));
  }
}
