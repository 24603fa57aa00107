package dev.cachet.internal;

import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Codec;
import dev.cachet.internal.VersionGuard.Captured;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * How a caller that missed takes its part in a key's load: joins a concurrent load that saw the
 * same versions (waiting at most {@code maxWait}), takes the place of one it gave up on, replaces
 * one that saw older versions, or leads; and whether an entry landed meanwhile. Thread-safe.
 */
final class FlightClaims {
  private final Flights flights;
  private final VersionGuard versions;
  private final StatsCounter stats;
  private final Clock clock;
  private final long maxWaitNanos;
  private final EntryReader reader;

  FlightClaims(
      Flights flights, VersionGuard versions, StatsCounter stats, Clock clock, Duration maxWait,
      EntryReader reader) {
    this.flights = flights;
    this.versions = versions;
    this.stats = stats;
    this.clock = clock;
    this.maxWaitNanos = maxWait.toNanos();
    this.reader = reader;
  }

  /**
   * What a caller that missed gets before loading: the result of a concurrent load it joined (or
   * of one that finished since its lookup), the {@link Flight} it is to lead, or, for a
   * {@code resumable} caller that joined a load no thread runs, that load to wait for without its
   * thread ({@link LaterJoin.Joined}).
   */
  <V> Object claim(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      EntryReader.@Nullable Servable<V> stale, long finishedBefore, boolean resumable, long newerThan) {
    Captured captured = versions.capture(policy.tags());
    Flight mine = new Flight(key, captured, clock.millis());
    boolean leader = captured == null; // cannot capture: load alone, write nothing
    while (!leader) {
      Flight existing = flights.putIfAbsent(storeKey, mine);
      if (existing == null) {
        leader = true;
      } else if (existing.joinableBy(captured)) {
        long deadline = System.nanoTime() + maxWaitNanos;
        if (resumable && handedOff(existing, key, deadline)) {
          return new LaterJoin.Joined(existing, deadline);
        }
        Flight.Result shared = await(existing, key, stale, deadline);
        if (shared == STALE_MARK && stale != null) {
          stats.staleHit();
          return stale.result(Status.STALE);
        }
        if (shared != null && shared.shared()) {
          return new CacheResult<>(ReadThrough.valueOf(shared, codec), Status.MISS, Instant.ofEpochMilli(shared.createdAt()));
        }
        Flight instead = null;
        if (shared == null && existing.async()) {
          flights.abandon(storeKey, existing); // an async load that may never end: later callers start afresh
          instead = inPlaceOf(key, storeKey, policy); // stored, so a loader slower than maxWait is still cached
        } else if (shared == null) {
          // A thread past maxWait, hung or slow: this caller takes its place, so that the key is
          // cached again even if it never ends, and its value is still stored if it ends first.
          instead = takeOver(key, storeKey, policy, existing);
        }
        // Otherwise the value was private, or another caller took the place: load alone.
        mine = instead != null ? instead : new Flight(key, null, clock.millis());
        leader = true;
      } else if (flights.replace(storeKey, existing, mine)) {
        // Out of the map, the load it replaced is out of reach of the deletes that poison
        // loads: it may hold newer versions, so it must not write what it read.
        existing.poison();
        leader = true;
      }
    }
    if (mine.captured != null && flights.ended() != finishedBefore) {
      CacheResult<V> landed = landedMeanwhile(key, storeKey, codec, mine, newerThan);
      if (landed != null) {
        return landed;
      }
    }
    return mine;
  }

  /**
   * The fresh entry another load wrote since the caller's lookup, which {@code mine} (led by the
   * caller, not started) then completes with instead of loading; {@code null} when there is none.
   */
  <V> @Nullable CacheResult<V> landedMeanwhile(String key, String storeKey, Codec<V> codec, Flight mine) {
    return landedMeanwhile(key, storeKey, codec, mine, Long.MIN_VALUE);
  }

  private <V> @Nullable CacheResult<V> landedMeanwhile(
      String key, String storeKey, Codec<V> codec, Flight mine, long newerThan) {
    EntryReader.Servable<V> fresh = reader.read(storeKey, key, codec, clock.millis());
    if (fresh == null || !fresh.fresh() || fresh.entry().createdAt() <= newerThan) {
      return null;
    }
    mine.future.complete(ReadThrough.fromStored(fresh, codec));
    flights.remove(storeKey, mine);
    return fresh.result(Status.HIT);
  }

  /**
   * A flight for a caller that gave up on an abandoned async load, in the map in its place with
   * versions captured now, or {@code null} when another caller took the place first (or nothing
   * can be captured): then the caller loads alone.
   */
  @Nullable Flight inPlaceOf(String key, String storeKey, CachePolicy policy) {
    Captured now = versions.capture(policy.tags());
    if (now == null) {
      return null;
    }
    Flight instead = new Flight(key, now, clock.millis());
    return flights.putIfAbsent(storeKey, instead) == null ? instead : null;
  }

  /**
   * A flight in the place of {@code existing}, a synchronous load a caller gave up waiting for,
   * with versions captured now; {@code null} when another caller took the place first (or
   * nothing can be captured): then the caller loads alone.
   */
  private @Nullable Flight takeOver(String key, String storeKey, CachePolicy policy, Flight existing) {
    Captured now = versions.capture(policy.tags());
    if (now == null) {
      return null;
    }
    Flight instead = new Flight(key, now, clock.millis());
    if (!flights.replace(storeKey, existing, instead)) {
      return null;
    }
    instead.supersede(existing);
    return instead;
  }

  private static final Flight.Result STALE_MARK =
      new Flight.Result(null, dev.cachet.Codecs.bytes(), null, 0, false);

  /**
   * Waits on this thread while a thread runs {@code flight}, until {@code deadline} at most;
   * whether it is then a future no thread runs.
   */
  private static boolean handedOff(Flight flight, String key, long deadline) {
    try {
      return flight.awaitHandOff(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoaderException(key, e);
    }
  }

  /**
   * Waits for another caller's load until {@code deadline} ({@link System#nanoTime()}); {@code null}
   * on time-out, {@link #STALE_MARK} on failure with a stale fallback.
   */
  private Flight.@Nullable Result await(
      Flight flight, String key, EntryReader.@Nullable Servable<?> stale, long deadline) {
    try {
      return flight.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoaderException(key, e);
    } catch (ExecutionException e) {
      if (stale != null && stale.servableOnError(clock.millis())) {
        return STALE_MARK;
      }
      throw ReadThrough.rethrow(key, e.getCause());
    }
  }
}
