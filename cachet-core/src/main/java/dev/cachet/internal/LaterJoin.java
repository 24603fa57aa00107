package dev.cachet.internal;

import dev.cachet.AsyncEntryLoader;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Codec;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A caller that joined a load no thread runs (its loader returned a future that has not completed)
 * and waits for it without a thread ({@link AsyncEntryLoader#resumption()}).
 *
 * <p>Why: such a load needs a thread again only to finish (an HTTP handler answering in a later
 * dispatch), and every caller waiting for it on a thread of the same pool holds one of the threads
 * it needs; a herd larger than the pool then stalls it until the waits time out. The caller's
 * result completes where that load completes: with the shared value, or with its failure (the
 * stale value instead inside its stale-if-error window), as a waiting caller's would. Only a
 * caller that must load after all (the load outlasted {@code maxWait}, or its value was private)
 * needs its thread back: its loader runs from a task given to its resumption executor, in the
 * abandoned load's place (versions captured then, so that its value is stored and later callers
 * join it) or alone, exactly as a caller that waited on its thread would load. Thread-safe.
 */
final class LaterJoin {
  /** The load a caller joined, to wait for without its thread until {@code deadlineNanos}. */
  record Joined(Flight flight, long deadlineNanos) {}

  private final ReadThrough readThrough;
  private final Flights flights;
  private final StatsCounter stats;
  private final Clock clock;

  LaterJoin(ReadThrough readThrough, Flights flights, StatsCounter stats, Clock clock) {
    this.readThrough = readThrough;
    this.flights = flights;
    this.stats = stats;
    this.clock = clock;
  }

  /** The caller's result: once {@code joined} completes, or its own load, resumed by {@code resume}. */
  <V> CompletableFuture<CacheResult<V>> await(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      Executor resume, Joined joined, EntryReader.@Nullable Servable<V> stale) {
    Flight flight = joined.flight();
    long left = Math.max(0, joined.deadlineNanos() - System.nanoTime());
    return flight.future.copy().completeOnTimeout(null, left, TimeUnit.NANOSECONDS)
        .handle((shared, error) -> {
          if (error != null) {
            if (stale != null && stale.servableOnError(clock.millis())) {
              stats.staleHit();
              return CompletableFuture.completedFuture(stale.result(Status.STALE));
            }
            return CompletableFuture.<CacheResult<V>>failedFuture(ReadThrough.unwrap(error));
          }
          if (shared != null && shared.shared()) {
            return CompletableFuture.completedFuture(new CacheResult<>(
                ReadThrough.valueOf(shared, codec), Status.MISS, Instant.ofEpochMilli(shared.createdAt())));
          }
          return resumed(key, storeKey, codec, policy, loader, resume, shared == null ? flight : null, stale);
        })
        .thenCompose(result -> result);
  }

  /**
   * The caller's own load, run from a task given to {@code resume}: in the place of
   * {@code abandoned} (a load it gave up on) when it can take it, else alone, never stored. The
   * place is taken in the task, not here: that reads the store, and this runs on whatever thread
   * completed the wait (a timer's, or the joined load's).
   */
  /** The shared value {@code flight} completed with, or {@code null} while it runs (or when it failed). */
  private static Flight.@Nullable Result landed(Flight flight) {
    if (!flight.future.isDone() || flight.future.isCompletedExceptionally()) {
      return null;
    }
    Flight.Result result = flight.future.getNow(null);
    return result != null && result.shared() ? result : null;
  }

  private <V> CompletableFuture<CacheResult<V>> resumed(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader,
      Executor resume, @Nullable Flight abandoned, EntryReader.@Nullable Servable<V> stale) {
    CompletableFuture<CacheResult<V>> own = new CompletableFuture<>();
    Runnable task = () -> {
      try {
        Flight.Result landed = abandoned == null ? null : landed(abandoned);
        if (landed != null) {
          // The load given up on landed before this task ran: its value answers, no second load.
          own.complete(new CacheResult<>(
              ReadThrough.valueOf(landed, codec), Status.MISS, Instant.ofEpochMilli(landed.createdAt())));
          return;
        }
        Flight mine = null;
        if (abandoned != null) {
          flights.abandon(storeKey, abandoned); // later callers start afresh
          mine = readThrough.inPlaceOf(key, storeKey, policy);
        }
        if (mine == null) {
          mine = new Flight(key, null, clock.millis());
        }
        readThrough.lead(key, storeKey, codec, policy, loader, mine, stale, Long.MIN_VALUE, true)
            .whenComplete((result, failure) -> {
              if (failure != null) {
                own.completeExceptionally(failure);
              } else {
                own.complete(result);
              }
            });
      } catch (RuntimeException | Error e) {
        own.completeExceptionally(e);
      }
    };
    try {
      resume.execute(task);
    } catch (RuntimeException rejected) {
      own.completeExceptionally(rejected);
    }
    return own;
  }
}
