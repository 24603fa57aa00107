package dev.cachet.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The loads running in this process, one {@link Flight} per store key, and how many have ended:
 * what the miss path joins, and what deletes and puts poison. Thread-safe.
 */
final class Flights {
  private final ConcurrentHashMap<String, Flight> running = new ConcurrentHashMap<>();
  /** Counts ended loads: a caller that read before one ended re-reads before it loads. */
  private final AtomicLong ended = new AtomicLong();

  /** The number of loads ended so far; read it before looking a key up. */
  long ended() {
    return ended.get();
  }

  /** Makes {@code flight} the load of {@code storeKey} unless one runs; returns that one, or {@code null}. */
  @Nullable Flight putIfAbsent(String storeKey, Flight flight) {
    return running.putIfAbsent(storeKey, flight);
  }

  boolean replace(String storeKey, Flight existing, Flight flight) {
    return running.replace(storeKey, existing, flight);
  }

  /** The load of {@code storeKey} running now, or {@code null}. */
  @Nullable Flight get(String storeKey) {
    return running.get(storeKey);
  }

  boolean contains(String storeKey) {
    return running.containsKey(storeKey);
  }

  /** Takes {@code flight} out of the map if it is still there, without counting it as ended. */
  void remove(String storeKey, Flight flight) {
    running.remove(storeKey, flight);
  }

  /** {@code flight} ended: out of the map, and counted, so that later lookups re-read. */
  void ended(String storeKey, Flight flight) {
    running.remove(storeKey, flight);
    ended.incrementAndGet();
  }

  /**
   * Prevents a running load of {@code storeKey} from being written back or joined; a write-back
   * already under way has reached the store when this returns.
   */
  void poison(String storeKey) {
    Flight flight = running.remove(storeKey);
    if (flight != null) {
      flight.poison(); // waits for a write-back under way: the caller's delete or put lands after it
    }
  }

  /**
   * Gives up on a flight that did not complete within maxWait (its loader may never complete):
   * removed, so that later callers do not wait on it, and poisoned, since a flight out of the map
   * is out of reach of the deletes that would otherwise poison it.
   */
  void abandon(String storeKey, Flight flight) {
    running.remove(storeKey, flight);
    flight.poison();
  }

  void poisonAll() {
    running.forEach((k, f) -> poison(k));
  }

  /**
   * Poisons every running load and background refresh whose caller key {@code matches}, whether
   * or not its key is in the store yet.
   */
  void poisonMatching(Predicate<String> matches) {
    running.forEach((k, f) -> {
      if (matches.test(f.key)) {
        poison(k);
      }
    });
  }
}
