package dev.cachet;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value and where it came from, for callers that report it (the HTTP layer's {@code X-Cache},
 * {@code Cache-Status} and {@code Age}).
 *
 * @param value the value; {@code null} only when a loader returned {@code null}
 * @param status how it was obtained
 * @param storedAt when the value was produced (now, for a load)
 * @param <V> the value type
 */
public record CacheResult<V>(@Nullable V value, Status status, Instant storedAt) {

  public CacheResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(storedAt, "storedAt");
  }

  /** How a value was obtained. */
  public enum Status {
    /** A fresh entry. */
    HIT,
    /** A stale entry, served while a refresh runs or instead of a failed load. */
    STALE,
    /** Not cached: the loader ran (here or in a concurrent caller this one waited for). */
    MISS
  }

  /** How old the value is at {@code now}, never negative. */
  public Duration age(Instant now) {
    Duration age = Duration.between(storedAt, now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
