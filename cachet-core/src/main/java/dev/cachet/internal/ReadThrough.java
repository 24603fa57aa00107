package dev.cachet.internal;

import dev.cachet.AsyncCacheLoader;
import dev.cachet.AsyncEntryLoader;
import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Codec;
import dev.cachet.EntryLoader;
import dev.cachet.Loaded;
import dev.cachet.internal.VersionGuard.Captured;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The miss path: single-flight loads (sync and async), background refreshes deduplicated per
 * key, stale-if-error, and writing entries with the versions captured before their load.
 * Thread-safe.
 */
final class ReadThrough {
  private final FailSafeStore store;
  private final KeyMapper keys;
  private final VersionGuard versions;
  private final StatsCounter stats;
  private final Clock clock;
  private final long maxWaitNanos;
  private final Executor executor;
  private final StoreLock lock;
  private final Flights flights;
  private final EntryReader reader;
  private final EntryWriter writer;
  private final LaterJoin laterJoin;
  private final AsyncGets asyncGets;
  private final ForegroundRefresh foreground;
  private final FlightClaims claims;

  ReadThrough(
      FailSafeStore store, KeyMapper keys, VersionGuard versions, StatsCounter stats, Clock clock,
      Duration maxWait, Executor executor, EntryReader reader, Flights flights) {
    this.store = store;
    this.flights = flights;
    this.keys = keys;
    this.versions = versions;
    this.stats = stats;
    this.clock = clock;
    this.maxWaitNanos = maxWait.toNanos();
    this.executor = executor;
    this.lock = new StoreLock(store, reader, clock, maxWait);
    this.reader = reader;
    this.writer = new EntryWriter(store, stats, versions);
    this.laterJoin = new LaterJoin(this, flights, stats, clock);
    this.asyncGets = new AsyncGets(this, flights, versions, stats, clock, maxWait);
    this.foreground = new ForegroundRefresh(this, flights, versions, stats, clock, maxWait);
    this.claims = new FlightClaims(flights, versions, stats, clock, maxWait, reader);
  }

  /**
   * Loads {@code key}, sharing the load with concurrent callers that see the same versions.
   *
   * @param finishedBefore {@link Flights#ended()} before the caller's lookup: if a load finished
   *     since, the entry is read again before loading (it may have just been written)
   */
  <V> CacheResult<V> load(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader,
      EntryReader.@Nullable Servable<V> stale, long finishedBefore) {
    try {
      // The loader runs on this thread, so the future is complete when loadLater returns.
      return loadLater(key, storeKey, codec, policy, synchronous(loader), stale, finishedBefore).join();
    } catch (CompletionException e) {
      throw rethrow(key, e.getCause());
    }
  }

  /**
   * As {@link #load}, for a loader whose value may come later: joining a concurrent load (waiting
   * for it on this thread, unless the loader has a {@link AsyncEntryLoader#resumption()} and that
   * load is a future no thread runs) or calling the loader happens before this returns; the
   * future completes when the value is there and written.
   */
  <V> CompletableFuture<CacheResult<V>> loadLater(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      EntryReader.@Nullable Servable<V> stale, long finishedBefore) {
    return loadLater(key, storeKey, codec, policy, loader, stale, finishedBefore, Long.MIN_VALUE);
  }

  /**
   * As {@link #loadLater(String, String, Codec, CachePolicy, AsyncEntryLoader, EntryReader.Servable,
   * long)}, taking instead of loading only an entry written by a load created after
   * {@code newerThan} ({@link Long#MIN_VALUE}: any fresh entry): a caller that wants a new value
   * whatever the key holds ({@link AsyncEntryLoader#reloads()}) passes the time it asked.
   */
  <V> CompletableFuture<CacheResult<V>> loadLater(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      EntryReader.@Nullable Servable<V> stale, long finishedBefore, long newerThan) {
    Flight mine;
    Executor resume = loader.resumption();
    if (!loader.mayLead() && flights.get(storeKey) == null) {
      // Nothing to join: alone, out of the map, so no caller that could store a value waits on it.
      return lead(key, storeKey, codec, policy, loader, new Flight(key, null, clock.millis()), stale, newerThan, false)
          .exceptionallyCompose(e -> CompletableFuture.failedFuture(unchecked(key, unwrap(e))));
    }
    try {
      Object claimed = claims.claim(key, storeKey, codec, policy, stale, finishedBefore, resume != null, newerThan);
      if (claimed instanceof LaterJoin.Joined joined) {
        return laterJoin.await(key, storeKey, codec, policy, loader, Objects.requireNonNull(resume), joined, stale)
            .exceptionallyCompose(e -> CompletableFuture.failedFuture(unchecked(key, unwrap(e))));
      }
      if (!(claimed instanceof Flight lead)) {
        @SuppressWarnings("unchecked")
        CacheResult<V> result = (CacheResult<V>) claimed;
        return CompletableFuture.completedFuture(result);
      }
      mine = lead;
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
    return lead(key, storeKey, codec, policy, loader, mine, stale, newerThan, true)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unchecked(key, unwrap(e))));
  }

  /**
   * As {@link #loadLater}, but a stale entry inside its stale-while-revalidate window is refreshed
   * by this caller ({@link dev.cachet.StaleRefresh#FOREGROUND}).
   */
  <V> CompletableFuture<CacheResult<V>> refreshLater(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      EntryReader.Servable<V> stale, long finishedBefore) {
    return foreground.refresh(key, storeKey, codec, policy, loader, stale, finishedBefore);
  }

  /** See {@link FlightClaims#landedMeanwhile}. */
  <V> @Nullable CacheResult<V> landedMeanwhile(String key, String storeKey, Codec<V> codec, Flight mine) {
    return claims.landedMeanwhile(key, storeKey, codec, mine);
  }

  /** See {@link FlightClaims#inPlaceOf}. */
  @Nullable Flight inPlaceOf(String key, String storeKey, CachePolicy policy) {
    return claims.inPlaceOf(key, storeKey, policy);
  }

  /** {@code loader} as an asynchronous loader that has finished when it returns. */
  private static <V> AsyncEntryLoader<V> synchronous(EntryLoader<V> loader) {
    return () -> {
      try {
        return CompletableFuture.completedFuture(loader.load());
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    };
  }

  /**
   * {@code loader} for a background refresh, which runs on its own thread: waits for the value,
   * at most the time a caller waits for a load.
   */
  <V> EntryLoader<V> waitingFor(AsyncEntryLoader<V> loader) {
    return () -> Objects.requireNonNull(loader.load(), "the loader returned null instead of a future")
        .get(maxWaitNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs the loader as the flight's leader; once its value is there, writes it if cacheable and
   * completes the flight. A failure completes the result exceptionally, or with {@code stale}
   * inside its stale-if-error window.
   *
   * @param refreshed creation time of the entry a refresh replaces ({@link Long#MIN_VALUE} for a
   *     miss): under the store lock, only an entry newer than it is taken instead of loading
   * @param mayLock whether the policy's store lock applies (taken on this thread)
   */
  <V> CompletableFuture<CacheResult<V>> lead(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      Flight flight, EntryReader.@Nullable Servable<V> stale, long refreshed, boolean mayLock) {
    StoreLock.Held held = null;
    CompletableFuture<Loaded<V>> started;
    try {
      if (mayLock && policy.distributedLock() && flight.captured != null) {
        StoreLock.Acquired<V> acquired =
            lock.acquire(keys.lockKey(key), storeKey, key, codec, policy.tags(), refreshed);
        if (acquired.found() != null) {
          Flight.Result r = fromStored(acquired.found(), codec);
          flight.future.complete(r);
          land(storeKey, flight, null);
          return CompletableFuture.completedFuture(missOf(r));
        }
        held = acquired.held();
      }
      started = Objects.requireNonNull(loader.load(),
          () -> "the loader of key '" + key + "' returned null instead of a future");
    } catch (Throwable t) {
      started = CompletableFuture.failedFuture(t);
    }
    if (!started.isDone()) {
      flight.markAsync();
    }
    StoreLock.Held lockHeld = held;
    return started.handle((loaded, error) ->
        settle(key, storeKey, codec, policy, flight, loaded, error, stale, lockHeld));
  }

  /** After a load: writes its value if cacheable and completes the flight, or fails both. */
  private <V> CacheResult<V> settle(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, Flight flight,
      @Nullable Loaded<V> loaded, @Nullable Throwable error, EntryReader.@Nullable Servable<V> stale,
      StoreLock.@Nullable Held held) {
    Throwable failure = error == null ? null : unwrap(error);
    try {
      if (failure == null) {
        Loaded<V> value = Objects.requireNonNull(loaded, "the load completed with null");
        stats.load();
        Flight.Result result = writer.writeBack(key, storeKey, codec, policy, value, flight, clock.millis());
        flight.future.complete(result);
        return missOf(result);
      }
      stats.loadFailure();
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      if (!flight.future.isDone()) {
        flight.future.completeExceptionally(failure);
      }
      land(storeKey, flight, held);
    }
    if (stale != null && stale.servableOnError(clock.millis())) {
      stats.staleHit();
      return stale.result(Status.STALE);
    }
    throw new CompletionException(failure);
  }

  @SuppressWarnings("unchecked")
  private static <V> CacheResult<V> missOf(Flight.Result result) {
    return new CacheResult<>((V) result.value(), Status.MISS, Instant.ofEpochMilli(result.createdAt()));
  }

  /** A load ended: its lock is released, its flight leaves the map, and later lookups re-read. */
  private void land(String storeKey, Flight flight, StoreLock.@Nullable Held held) {
    if (held != null) {
      lock.release(held);
    }
    flights.ended(storeKey, flight);
  }

  static <V> Flight.Result fromStored(EntryReader.Servable<V> found, Codec<V> codec) {
    Envelope entry = found.entry();
    return new Flight.Result(found.value(), codec, entry.valueArray(), entry.valueOffset(),
        entry.valueLength(), entry.createdAt(), true);
  }

  /** Writes {@code value} now, with versions captured now. */
  <V> void put(String key, String storeKey, V value, Codec<V> codec, CachePolicy policy) {
    Captured captured = versions.captureForPut(policy.tags());
    if (captured == null) {
      return;
    }
    long now = clock.millis();
    EntryWriter.Encoded encoded = writer.encode(key, storeKey, codec, policy, captured, value, now);
    if (encoded == null) {
      return;
    }
    flights.poison(storeKey); // a load racing this put must not overwrite it with an older value
    store.put(storeKey, encoded.entry(), EntryWriter.storeTtl(policy, now));
  }

  /**
   * Starts one background refresh of {@code key} unless a load of it is already running.
   *
   * @param refreshed creation time of the entry being refreshed
   */
  <V> void refreshInBackground(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader,
      long refreshed) {
    if (flights.contains(storeKey)) {
      return;
    }
    Flight placeholder = new Flight(key, null, clock.millis());
    if (flights.putIfAbsent(storeKey, placeholder) != null) {
      return;
    }
    try {
      executor.execute(() -> {
        Captured captured = versions.capture(policy.tags());
        Flight flight = new Flight(key, captured, clock.millis());
        if (captured == null || !flights.replace(storeKey, placeholder, flight)) {
          flights.remove(storeKey, placeholder);
          return;
        }
        // Complete on return (the loader runs here); a failure leaves the stale entry, counted.
        lead(key, storeKey, codec, policy, synchronous(loader), flight, null, refreshed, true);
      });
    } catch (RuntimeException rejected) {
      flights.remove(storeKey, placeholder);
    }
  }

  /**
   * {@code getAsync}'s miss path ({@link AsyncGets}).
   *
   * @param finishedBefore as for {@link #load}
   */
  <V> CompletableFuture<@Nullable V> loadAsync(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      AsyncCacheLoader<? extends V> loader, EntryReader.@Nullable Servable<V> stale,
      long finishedBefore) {
    return asyncGets.load(key, storeKey, codec, policy, loader, stale, finishedBefore);
  }

  @SuppressWarnings("unchecked")
  static <V> V valueOf(Flight.Result shared, Codec<V> codec) {
    if (shared.codec() == codec || shared.bytes() == null) {
      return (V) shared.value();
    }
    return codec.decode(shared.bytes(), shared.offset(), shared.length());
  }

  static Throwable unwrap(Throwable t) {
    return (t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null
        ? t.getCause() : t;
  }

  static RuntimeException rethrow(String key, Throwable failure) {
    Throwable t = unchecked(key, unwrap(failure));
    if (t instanceof Error err) {
      throw err;
    }
    return (RuntimeException) t;
  }

  /** {@code t} as it is when unchecked, else wrapped in a {@link CacheLoaderException}. */
  static Throwable unchecked(String key, Throwable t) {
    return t instanceof RuntimeException || t instanceof Error ? t : new CacheLoaderException(key, t);
  }
}
