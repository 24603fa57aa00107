package dev.cachet.internal;

import dev.cachet.AsyncCacheLoader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  /** Counts finished loads: a caller that read before one finished re-reads before it loads. */
  private final java.util.concurrent.atomic.AtomicLong finishedLoads = new java.util.concurrent.atomic.AtomicLong();
  private final EntryReader reader;
  private final EntryWriter writer;

  ReadThrough(
      FailSafeStore store, KeyMapper keys, VersionGuard versions, StatsCounter stats, Clock clock,
      Duration maxWait, Executor executor, EntryReader reader) {
    this.store = store;
    this.keys = keys;
    this.versions = versions;
    this.stats = stats;
    this.clock = clock;
    this.maxWaitNanos = maxWait.toNanos();
    this.executor = executor;
    this.lock = new StoreLock(store, reader, clock, maxWait);
    this.reader = reader;
    this.writer = new EntryWriter(store, stats);
  }

  /** The number of loads finished so far; read it before looking the key up. */
  long finishedLoads() {
    return finishedLoads.get();
  }

  /**
   * Loads {@code key}, sharing the load with concurrent callers that see the same versions.
   *
   * @param finishedBefore {@link #finishedLoads()} before the caller's lookup: if a load finished
   *     since, the entry is read again before loading (it may have just been written)
   */
  <V> CacheResult<V> load(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader,
      EntryReader.@Nullable Servable<V> stale, long finishedBefore) {
    Captured captured = versions.capture(policy.tags());
    Flight mine = new Flight(key, captured);
    boolean leader = captured == null; // cannot capture: load alone, write nothing
    while (!leader) {
      Flight existing = flights.putIfAbsent(storeKey, mine);
      if (existing == null) {
        leader = true;
      } else if (existing.joinableBy(captured)) {
        Flight.Result shared = await(existing, key, stale);
        if (shared == STALE_MARK && stale != null) {
          stats.staleHit();
          return stale.result(Status.STALE);
        }
        if (shared != null && shared.shared()) {
          return new CacheResult<>(valueOf(shared, codec), Status.MISS, Instant.ofEpochMilli(shared.createdAt()));
        }
        if (shared == null && existing.async) {
          abandon(storeKey, existing); // an async load that may never end: later callers start afresh
        }
        mine = new Flight(key, null); // timed out, or the value was private: load alone
        leader = true;
      } else if (flights.replace(storeKey, existing, mine)) {
        // Out of the map, the load it replaced is out of reach of the deletes that poison
        // loads: it may hold newer versions, so it must not write what it read.
        existing.poison();
        leader = true;
      }
    }
    if (mine.captured != null && finishedLoads.get() != finishedBefore) {
      EntryReader.Servable<V> fresh = reader.read(storeKey, key, codec, clock.millis());
      if (fresh != null && fresh.fresh()) {
        mine.future.complete(fromStored(fresh, codec));
        flights.remove(storeKey, mine);
        return fresh.result(Status.HIT);
      }
    }
    try {
      Flight.Result result = lead(key, storeKey, codec, policy, loader, mine, Long.MIN_VALUE);
      @SuppressWarnings("unchecked")
      V value = (V) result.value();
      return new CacheResult<>(value, Status.MISS, Instant.ofEpochMilli(result.createdAt()));
    } catch (Throwable failure) {
      if (stale != null && stale.servableOnError(clock.millis())) {
        stats.staleHit();
        return stale.result(Status.STALE);
      }
      throw rethrow(key, failure);
    }
  }

  private static final Flight.Result STALE_MARK =
      new Flight.Result(null, dev.cachet.Codecs.bytes(), null, 0, false);

  /** Waits for another caller's load; {@code null} on time-out, {@link #STALE_MARK} on failure with a stale fallback. */
  private Flight.@Nullable Result await(
      Flight flight, String key, EntryReader.@Nullable Servable<?> stale) {
    try {
      return flight.future.get(maxWaitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheLoaderException(key, e);
    } catch (ExecutionException e) {
      if (stale != null && stale.servableOnError(clock.millis())) {
        return STALE_MARK;
      }
      throw rethrow(key, e.getCause());
    }
  }

  /**
   * Runs the loader as the flight's leader, writes a cacheable value, completes the flight.
   *
   * @param refreshed creation time of the entry a refresh replaces ({@link Long#MIN_VALUE} for a
   *     miss): under the store lock, only an entry newer than it is taken instead of loading
   */
  private <V> Flight.Result lead(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader,
      Flight flight, long refreshed) throws Exception {
    StoreLock.Held held = null;
    try {
      if (policy.distributedLock() && flight.captured != null) {
        StoreLock.Acquired<V> acquired =
            lock.acquire(keys.lockKey(key), storeKey, key, codec, policy.tags(), refreshed);
        if (acquired.found() != null) {
          Flight.Result r = fromStored(acquired.found(), codec);
          flight.future.complete(r);
          return r;
        }
        held = acquired.held();
      }
      Loaded<V> loaded;
      try {
        loaded = loader.load();
        stats.load();
      } catch (Throwable t) {
        stats.loadFailure();
        throw t;
      }
      Flight.Result result = writer.writeBack(key, storeKey, codec, policy, loaded, flight, clock.millis());
      flight.future.complete(result);
      return result;
    } catch (Throwable t) {
      flight.future.completeExceptionally(t);
      throw t;
    } finally {
      if (held != null) {
        lock.release(held);
      }
      flights.remove(storeKey, flight);
      finishedLoads.incrementAndGet();
    }
  }

  private <V> Flight.Result fromStored(EntryReader.Servable<V> found, Codec<V> codec) {
    Envelope entry = found.entry();
    return new Flight.Result(found.value(), codec, entry.valueArray(), entry.valueOffset(),
        entry.valueLength(), entry.createdAt(), true);
  }

  /** Writes {@code value} now, with versions captured now. */
  <V> void put(String key, String storeKey, V value, Codec<V> codec, CachePolicy policy) {
    Captured captured = versions.capture(policy.tags());
    if (captured == null) {
      return;
    }
    long now = clock.millis();
    EntryWriter.Encoded encoded = writer.encode(key, storeKey, codec, policy, captured, value, now);
    if (encoded == null) {
      return;
    }
    poison(storeKey); // a load racing this put must not overwrite it with an older value
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
    if (flights.containsKey(storeKey)) {
      return;
    }
    Flight placeholder = new Flight(key, null);
    if (flights.putIfAbsent(storeKey, placeholder) != null) {
      return;
    }
    try {
      executor.execute(() -> {
        Captured captured = versions.capture(policy.tags());
        Flight flight = new Flight(key, captured);
        if (captured == null || !flights.replace(storeKey, placeholder, flight)) {
          flights.remove(storeKey, placeholder);
          return;
        }
        try {
          lead(key, storeKey, codec, policy, loader, flight, refreshed);
        } catch (Throwable ignored) {
          // The stale entry stays; the failure is counted by lead().
        }
      });
    } catch (RuntimeException rejected) {
      flights.remove(storeKey, placeholder);
    }
  }

  /**
   * Async miss path: the loader's future is the flight.
   *
   * @param finishedBefore as for {@link #load}
   */
  <V> CompletableFuture<@Nullable V> loadAsync(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      AsyncCacheLoader<? extends V> loader, EntryReader.@Nullable Servable<V> stale,
      long finishedBefore) {
    Captured captured = versions.capture(policy.tags());
    Flight mine = new Flight(key, captured, true);
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
                  return CompletableFuture.<V>failedFuture(unwrap(error));
                }
                if (shared == null && existing.async) {
                  abandon(storeKey, existing); // timed out: later callers start afresh
                } else if (shared.shared()) {
                  return CompletableFuture.completedFuture(valueOf(shared, codec));
                }
                return leadAsync(key, storeKey, codec, policy, loader, new Flight(key, null), stale);
              })
              .thenCompose(f -> f);
        }
        if (flights.replace(storeKey, existing, mine)) {
          existing.poison(); // as in load: a replaced load is out of reach of deletes
          break;
        }
      }
      if (finishedLoads.get() != finishedBefore) {
        EntryReader.Servable<V> fresh = reader.read(storeKey, key, codec, clock.millis());
        if (fresh != null && fresh.fresh()) {
          mine.future.complete(fromStored(fresh, codec));
          flights.remove(storeKey, mine);
          return CompletableFuture.completedFuture(fresh.value());
        }
      }
    }
    return leadAsync(key, storeKey, codec, policy, loader, mine, stale);
  }

  private <V> CompletableFuture<@Nullable V> leadAsync(
      String key, String storeKey, Codec<V> codec, CachePolicy policy,
      AsyncCacheLoader<? extends V> loader, Flight flight, EntryReader.@Nullable Servable<V> stale) {
    CompletableFuture<? extends V> started;
    try {
      started = java.util.Objects.requireNonNull(loader.load(),
          () -> "the AsyncCacheLoader of key '" + key + "' returned null instead of a future");
    } catch (Throwable t) {
      started = CompletableFuture.failedFuture(t);
    }
    return started.handle((value, error) -> {
      try {
        if (error != null) {
          stats.loadFailure();
          flight.future.completeExceptionally(unwrap(error));
          if (stale != null && stale.servableOnError(clock.millis())) {
            stats.staleHit();
            return stale.value();
          }
          throw new CompletionException(unwrap(error));
        }
        stats.load();
        Flight.Result result =
            writer.writeBack(key, storeKey, codec, policy, Loaded.<V>of(value), flight, clock.millis());
        flight.future.complete(result);
        return value;
      } finally {
        flights.remove(storeKey, flight);
        finishedLoads.incrementAndGet();
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static <V> V valueOf(Flight.Result shared, Codec<V> codec) {
    if (shared.codec() == codec || shared.bytes() == null) {
      return (V) shared.value();
    }
    return codec.decode(shared.bytes(), shared.offset(), shared.length());
  }

  /**
   * Prevents a running load of {@code storeKey} from being written back or joined; a write-back
   * already under way has reached the store when this returns.
   */
  void poison(String storeKey) {
    Flight flight = flights.remove(storeKey);
    if (flight != null) {
      flight.poison(); // waits for a write-back under way: the caller's delete or put lands after it
    }
  }

  /**
   * Gives up on a flight that did not complete within maxWait (its loader may never complete):
   * removed, so that later callers do not wait on it, and poisoned, since a flight out of the map
   * is out of reach of the deletes that would otherwise poison it.
   */
  private void abandon(String storeKey, Flight flight) {
    flights.remove(storeKey, flight);
    flight.poison();
  }

  void poisonAll() {
    flights.forEach((k, f) -> poison(k));
  }

  /**
   * Poisons every running load and background refresh whose caller key {@code matches}, whether
   * or not its key is in the store yet.
   */
  void poisonMatching(java.util.function.Predicate<String> matches) {
    flights.forEach((k, f) -> {
      if (matches.test(f.key)) {
        poison(k);
      }
    });
  }

  private static Throwable unwrap(Throwable t) {
    return (t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null
        ? t.getCause() : t;
  }

  private static RuntimeException rethrow(String key, Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof RuntimeException re) {
      return re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new CacheLoaderException(key, t);
  }
}
