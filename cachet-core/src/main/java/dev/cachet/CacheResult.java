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
 * @param freshUntil when the entry served stops (or stopped) being fresh, as the entry records
 *     it (its TTL after jitter, bounded by whatever shortened it, such as a soft invalidation);
 *     {@code null} when the value was not read from an entry (a load) or it is not known
 * @param <V> the value type
 */
public record CacheResult<V>(
    @Nullable V value, Status status, Instant storedAt, @Nullable Instant freshUntil) {

  public CacheResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(storedAt, "storedAt");
  }

  /** A result whose freshness is not known (a load's). */
  public CacheResult(@Nullable V value, Status status, Instant storedAt) {
    this(value, status, storedAt, null);
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

  /**
   * How long the entry stays fresh after {@code now}: negative once it is stale (by how long it
   * has been), never below minus its {@link #age}; {@code null} when {@link #freshUntil} is not
   * known. RFC 9211's {@code ttl}.
   */
  public @Nullable Duration remainingFreshness(Instant now) {
    if (freshUntil == null) {
      return null;
    }
    Instant until = freshUntil.isBefore(storedAt) ? storedAt : freshUntil;
    return Duration.between(now, until);
  }
}
