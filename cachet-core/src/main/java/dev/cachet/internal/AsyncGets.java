package dev.cachet.internal;

import dev.cachet.AsyncCacheLoader;
import dev.cachet.AsyncEntryLoader;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.Codec;
import dev.cachet.Loaded;
import dev.cachet.internal.VersionGuard.Captured;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code getAsync}'s miss path: a caller never waits on its thread; concurrent misses share the
 * loader's future, and one that has waited {@code maxWait} for it loads itself (in the abandoned
 * load's place when that load is a future no thread runs). Thread-safe.
 */
final class AsyncGets {
  private final ReadThrough readThrough;
  private final Flights flights;
  private final VersionGuard versions;
  private final StatsCounter stats;
  private final Clock clock;
  private final long maxWaitNanos;

  AsyncGets(ReadThrough readThrough, Flights flights, VersionGuard versions, StatsCounter stats, Clock clock,
      Duration maxWait) {
    this.readThrough = readThrough;
    this.flights = flights;
    this.versions = versions;
    this.stats = stats;
    this.clock = clock;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /**
   * Loads {@code key} for {@code getAsync}: the loader's future is the flight.
   *
   * @param finishedBefore {@link Flights#ended()} before the caller's lookup
   */
  <V> CompletableFuture<@Nullable V> load(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      AsyncCacheLoader<? extends V> loader, EntryReader.@Nullable Servable<V> stale,
      long finishedBefore) {
    Captured captured = versions.capture(policy.tags());
    Flight mine = new Flight(key, captured, clock.millis(), true);
    if (captured != null) {
      while (true) {
        Flight existing = flights.putIfAbsent(storeKey, mine);
        if (existing == null) {
          break;
        }
        if (existing.joinableBy(captured)) {
          return existing.future.copy()
              .completeOnTimeout(null, maxWaitNanos, TimeUnit.NANOSECONDS)
              .handle((shared, error) -> {
                if (error != null) {
                  if (stale != null && stale.servableOnError(clock.millis())) {
                    stats.staleHit();
                    return CompletableFuture.completedFuture(stale.value());
                  }
                  return CompletableFuture.<V>failedFuture(ReadThrough.unwrap(error));
                }
                Flight alone = new Flight(key, null, clock.millis());
                if (shared == null) { // timed out
                  if (existing.async()) {
                    flights.abandon(storeKey, existing); // later callers start afresh
                    Flight instead = readThrough.inPlaceOf(key, storeKey, policy);
                    alone = instead != null ? instead : alone;
                  }
                } else if (shared.shared()) {
                  return CompletableFuture.completedFuture(ReadThrough.valueOf(shared, codec));
                }
                return leadAsync(key, storeKey, codec, policy, loader, alone, stale);
              })
              .thenCompose(f -> f);
        }
        if (flights.replace(storeKey, existing, mine)) {
          existing.poison(); // as in load: a replaced load is out of reach of deletes
          break;
        }
      }
      if (flights.ended() != finishedBefore) {
        CacheResult<V> landed = readThrough.landedMeanwhile(key, storeKey, codec, mine);
        if (landed != null) {
          return CompletableFuture.completedFuture(landed.value());
        }
      }
    }
    return leadAsync(key, storeKey, codec, policy, loader, mine, stale);
  }

  /**
   * Leads {@code flight} for {@link #load}: as {@link ReadThrough#lead}, without the store lock (a
   * caller of {@code getAsync} never waits), the loader's value always cacheable.
   */
  private <V> CompletableFuture<@Nullable V> leadAsync(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      AsyncCacheLoader<? extends V> loader, Flight flight, EntryReader.@Nullable Servable<V> stale) {
    AsyncEntryLoader<V> storing = () -> Objects.requireNonNull(loader.load(),
        () -> "the AsyncCacheLoader of key '" + key + "' returned null instead of a future")
        .thenApply(Loaded::<V>of);
    return readThrough.lead(key, storeKey, codec, policy, storing, flight, stale, Long.MIN_VALUE, false)
        .thenApply(CacheResult::value);
  }
}
