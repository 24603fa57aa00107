package dev.cachet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What is known of one stored entry, for administration: listing, not serving. Immutable (the
 * tags are copied); every component but {@code timeToLive}, and a {@link State#CORRUPT} entry's
 * {@code storedAt}, is non-null.
 *
 * @param key the caller's key; for a {@link State#CORRUPT} entry, which does not tell it, the key
 *     its store key shows (the caller's key unless it was long or unusual and hashed)
 * @param state whether the entry would be served fresh, stale, or not at all
 * @param storedAt when it was written; {@code null} for a {@link State#CORRUPT} entry
 * @param timeToLive how long the store keeps it, or {@code null} when the store cannot tell
 * @param sizeBytes the stored size, envelope included
 * @param tags the tags it carries, in store form (none for a {@link State#CORRUPT} entry)
 * @param contentType the media type its codec declared (empty for a {@link State#CORRUPT} entry)
 */
public record KeyInfo(
    String key, State state, @Nullable Instant storedAt, @Nullable Duration timeToLive, int sizeBytes,
    List<String> tags, String contentType) {

  public KeyInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    if (state != State.CORRUPT) {
      Objects.requireNonNull(storedAt, "storedAt");
    }
    tags = List.copyOf(tags);
    Objects.requireNonNull(contentType, "contentType");
  }

  /** How an entry would be served now. */
  public enum State {
    FRESH,
    /** Past its TTL or soft-purged, inside a stale window. */
    STALE,
    /** Invalidated by a tag or namespace version, or past every window: never served. */
    INVALID,
    /**
     * Stored bytes under this namespace that cannot be read as an entry (corrupt, truncated, or
     * written by something else): never served, read as a miss; delete them.
     */
    CORRUPT
  }
}
