package dev.cachet.internal;

import dev.cachet.CachePolicy;
import dev.cachet.Codec;
import dev.cachet.Loaded;
import dev.cachet.internal.VersionGuard.Captured;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Builds the stored form of a loaded or put value: the envelope with the versions captured for
 * it, laid out around the codec's encoding with as few copies as the codec allows, and writes a
 * load's value back unless the load was poisoned. Codec failures are counted as corrupt entries
 * and answered with {@code null}. Thread-safe.
 */
final class EntryWriter {
  private final FailSafeStore store;
  private final StatsCounter stats;
  private final VersionGuard versions;

  EntryWriter(FailSafeStore store, StatsCounter stats, VersionGuard versions) {
    this.store = store;
    this.stats = stats;
    this.versions = versions;
  }

  /**
   * Writes what {@code flight} loaded, with the versions it captured before loading, unless it is
   * not cacheable or was poisoned; returns what the flight shares with its waiters.
   */
  <V> Flight.Result writeBack(
      String key, String storeKey, Codec<V> codec, CachePolicy callerPolicy, Loaded<V> loaded,
      Flight flight, long now) {
    V value = loaded.value();
    if (value == null || !loaded.cacheable()) {
      return new Flight.Result(value, codec, null, now, value == null);
    }
    CachePolicy policy = loaded.policy() != null ? loaded.policy() : callerPolicy;
    Captured captured = flight.captured;
    if (loaded.policy() != null && captured != null && !loaded.policy().tags().equals(callerPolicy.tags())) {
      captured = null; // versions were captured for other tags: cannot be written safely
    }
    if (captured != null && !flight.poisoned()) {
      captured = versions.completeForWrite(captured); // creates the tags' versions first seen
    }
    if (captured != null) {
      // Encoded before the write-back is claimed, so a racing delete or put waits for the store
      // write alone, never for a codec.
      Encoded encoded = encode(key, storeKey, codec, policy, captured, value, now);
      if (encoded == null) {
        return new Flight.Result(value, codec, null, now, false);
      }
      byte[] entry = encoded.entry();
      Duration ttl = storeTtl(policy, now);
      flight.writeUnlessPoisoned(() -> store.put(storeKey, entry, ttl));
      return new Flight.Result(
          value, codec, entry, encoded.valueOffset(), encoded.valueLength(), now, true);
    }
    byte[] bytes = encode(codec, value); // not stored: encoded only for callers with another codec
    return new Flight.Result(value, codec, bytes, now, bytes != null);
  }

  /** A stored entry's bytes and where its value lies in them. */
  record Encoded(byte[] entry, int valueOffset, int valueLength) {}

  /**
   * The entry for {@code value}: the array its encoding already lies in when the codec offers
   * one ({@link Codec#placement}, in-process stores only), else encoded straight into a new
   * entry when the codec knows the length, else encoded and copied in; {@code null} (counted)
   * when the codec failed.
   */
  <V> @Nullable Encoded encode(
      String key, String storeKey, Codec<V> codec, CachePolicy policy, Captured captured, V value,
      long now) {
    Envelope fields = entry(key, codec, policy, captured, NO_BYTES, now);
    if (store.inProcess()) {
      Encoded placed = placed(storeKey, codec, value, fields);
      if (placed != null) {
        return placed;
      }
    }
    int length = encodedLength(codec, value);
    if (length < 0) {
      byte[] bytes = encode(codec, value);
      if (bytes == null) {
        return null;
      }
      byte[] entry = fields.encode(storeKey, bytes.length, !store.inProcess(),
          (target, offset) -> System.arraycopy(bytes, 0, target, offset, bytes.length));
      return new Encoded(entry, entry.length - 4 - bytes.length, bytes.length);
    }
    try {
      byte[] entry = fields.encode(storeKey, length, !store.inProcess(),
          (target, offset) -> codec.encodeInto(value, target, offset));
      return new Encoded(entry, entry.length - 4 - length, length);
    } catch (RuntimeException e) {
      stats.corruptEntry();
      return null;
    }
  }

  /**
   * The codec's own array made the entry, when it offers one that leaves at most an eighth of the
   * value unused (the store weighs, and keeps, the whole array); else {@code null}.
   */
  private <V> @Nullable Encoded placed(String storeKey, Codec<V> codec, V value, Envelope fields) {
    try {
      Codec.Placement p = codec.placement(value);
      byte[] entry = p == null ? null
          : fields.encodePlaced(storeKey, false, p.array(), p.offset(), p.length(), p.length() / 8);
      return entry == null ? null : new Encoded(entry, p.offset(), p.length());
    } catch (RuntimeException e) {
      return null; // then encoding decides, and counts a failure
    }
  }

  private <V> int encodedLength(Codec<V> codec, V value) {
    try {
      return codec.encodedLength(value);
    } catch (RuntimeException e) {
      return -1; // then encode() decides
    }
  }

  private static final byte[] NO_BYTES = new byte[0];

  /** The codec's encoding of {@code value}; {@code null} (counted) when the codec failed. */
  <V> byte @Nullable [] encode(Codec<V> codec, V value) {
    try {
      return codec.encode(value);
    } catch (RuntimeException e) {
      stats.corruptEntry();
      return null;
    }
  }

  private Envelope entry(
      String key, Codec<?> codec, CachePolicy policy, Captured captured, byte[] bytes, long now) {
    long ttl = policy.ttl().toMillis();
    if (policy.jitter() > 0) {
      ttl -= (long) (ttl * policy.jitter() * ThreadLocalRandom.current().nextDouble());
    }
    ttl = Math.max(1, ttl);
    long freshUntil = now + ttl;
    long refreshAt = policy.refreshAhead() > 0 ? now + (long) (ttl * policy.refreshAhead()) : Long.MAX_VALUE;
    return new Envelope(
        now, freshUntil, freshUntil + policy.staleWhileRevalidate().toMillis(),
        freshUntil + policy.staleIfError().toMillis(), refreshAt, captured.namespaceVersion(),
        captured.tagNames(), captured.tagVersions(), KeyMapper.isLiteral(key) ? null : key,
        codec.contentType(), bytes);
  }

  /** How long the store keeps an entry: its TTL and the longer of its stale windows. */
  static Duration storeTtl(CachePolicy policy, long now) {
    Duration stale = policy.staleWhileRevalidate().compareTo(policy.staleIfError()) > 0
        ? policy.staleWhileRevalidate() : policy.staleIfError();
    return policy.ttl().plus(stale);
  }
}
