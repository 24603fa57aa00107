package dev.cachet.internal;

import dev.cachet.CacheResult;
import dev.cachet.CacheResult.Status;
import dev.cachet.Codec;
import dev.cachet.internal.VersionGuard.Timeline;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.StoreCapability;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one entry and judges it: bytes from the store, envelope parsed and checked against the
 * caller's key, versions compared, value decoded. Anything unreadable is counted and read as a
 * miss. Thread-safe.
 */
final class EntryReader {
  private final FailSafeStore store;
  private final VersionGuard versions;
  private final StatsCounter stats;
  /** Entries whose checksum passed, with the store key they passed under. */
  private final ArrayMemo<String> verified = new ArrayMemo<>();
  /** Below this, a checksum costs less than remembering it. */
  static final int VERIFY_ONCE_FROM = 4096;

  EntryReader(FailSafeStore store, VersionGuard versions, StatsCounter stats) {
    this.store = store;
    this.versions = versions;
    this.stats = stats;
  }

  /** An entry that may still be served in some way at {@code now}. */
  record Servable<V>(Envelope entry, Timeline timeline, V value, long now) {
    boolean fresh() {
      return now < timeline.freshUntil();
    }

    /** Stale but inside its stale-while-revalidate window. */
    boolean revalidatable() {
      return !fresh() && now < timeline.staleWhileRevalidateUntil();
    }

    /**
     * Inside its stale-if-error window at {@code failedAt}, the time the load failed (not the
     * time the entry was read: a load may run long): may replace that failed load.
     */
    boolean servableOnError(long failedAt) {
      return failedAt < timeline.staleIfErrorUntil();
    }

    CacheResult<V> result(Status status) {
      return new CacheResult<>(value, status, Instant.ofEpochMilli(entry.createdAt()),
          Instant.ofEpochMilli(timeline.freshUntil()));
    }
  }

  /** Reads and parses the envelope under {@code storeKey}, or {@code null}; no version check. */
  @Nullable Envelope readEnvelope(String storeKey, String key) {
    byte[] bytes = store.get(storeKey);
    return bytes == null ? null : parse(bytes, storeKey, key);
  }

  private @Nullable Envelope parse(byte[] bytes, String storeKey, String key) {
    boolean inProcess = store.inProcess();
    // Entries from outside the process carry a checksum: checked once per array, not per read.
    boolean known = !inProcess && storeKey.equals(verified.find(bytes, 0, bytes.length));
    Envelope entry = Envelope.decode(bytes, storeKey, inProcess, known);
    if (entry == null || !belongsTo(entry, key)) {
      stats.corruptEntry();
      return null;
    }
    if (!inProcess && !known && bytes.length >= VERIFY_ONCE_FROM) {
      verified.remember(bytes, 0, bytes.length, storeKey);
    }
    return entry;
  }

  /** Reads and judges the entry under {@code storeKey}; {@code null} when it cannot be served. */
  <V> @Nullable Servable<V> read(String storeKey, String key, Codec<V> codec, long now) {
    Envelope entry = readEnvelope(storeKey, key);
    if (entry == null || now >= entry.hardExpiry()) {
      return null;
    }
    return judged(entry, versions.judge(entry), codec, now);
  }

  /**
   * As {@link #read(String, String, Codec, long)}, for an entry expected to carry {@code tags}: a
   * shared (remote) store reads the entry and those tags' versions together, in one round trip.
   * An entry from a local copy of the store (a near cache) that is not fresh is read once more
   * from the store itself: the copy may not have heard yet of the entry another process just
   * wrote, and counting a miss would run the loader again for nothing. The copy's word that there
   * is no entry is confirmed the same way only when {@code confirmAbsence} (the store lock's
   * re-check, where loading once across processes is the point): on a plain read it is trusted,
   * so that keys whose values are never stored cost no round trip.
   */
  <V> @Nullable Servable<V> read(
      String storeKey, String key, Codec<V> codec, long now, Set<String> tags,
      boolean confirmAbsence) {
    if (!store.has(StoreCapability.SHARED)) {
      return read(storeKey, key, codec, now);
    }
    VersionGuard.Likely likely = versions.likely(tags);
    EntryAndVersions read = store.getWithVersions(storeKey, likely.versionKeys());
    Judged found = judge(read, storeKey, key, now, likely);
    boolean confirm = found == null ? confirmAbsence && read.entry() == null : !found.fresh(now);
    if (read.fromLocalCopy() && confirm) {
      Judged confirmed =
          judge(store.getAuthoritative(storeKey, likely.versionKeys()), storeKey, key, now, likely);
      // No answer (the store failed, or its entry is gone and the push not here yet) keeps the
      // copy's entry: it may still be served stale within its windows rather than reloaded.
      if (confirmed != null || found == null) {
        found = confirmed;
      }
    }
    return found == null ? null : judged(found.entry(), found.timeline(), codec, now);
  }

  /** An entry and its timeline by the current versions; {@code null} timeline when invalid. */
  private record Judged(Envelope entry, @Nullable Timeline timeline) {
    boolean fresh(long now) {
      return timeline != null && now < timeline.freshUntil();
    }
  }

  /** Parses and judges what a shared store answered; {@code null} when no entry or a corrupt one. */
  private @Nullable Judged judge(
      EntryAndVersions read, String storeKey, String key, long now, VersionGuard.Likely likely) {
    byte[] bytes = read.entry();
    Envelope entry = bytes == null ? null : parse(bytes, storeKey, key);
    if (entry == null) {
      return null;
    }
    return new Judged(
        entry, now >= entry.hardExpiry() ? null : versions.judge(entry, likely, read.versions()));
  }

  private <V> @Nullable Servable<V> judged(
      Envelope entry, @Nullable Timeline timeline, Codec<V> codec, long now) {
    if (timeline == null
        || now >= Math.max(timeline.freshUntil(), Math.max(
            timeline.staleWhileRevalidateUntil(), timeline.staleIfErrorUntil()))) {
      return null;
    }
    V value;
    try {
      value = codec.decode(entry.valueArray(), entry.valueOffset(), entry.valueLength());
    } catch (RuntimeException e) {
      stats.corruptEntry();
      return null;
    }
    if (value == null) {
      stats.corruptEntry();
      return null;
    }
    return new Servable<>(entry, timeline, value, now);
  }

  /** Whether an entry read under the store key of {@code key} was written for that key. */
  private static boolean belongsTo(Envelope entry, String key) {
    String original = entry.originalKey();
    return original == null ? KeyMapper.isLiteral(key) : original.equals(key);
  }
}
