package dev.cachet.internal;

import dev.cachet.KeyInfo;
import dev.cachet.KeyPage;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lists a namespace's entries for administration: scans {@code ns:k:*}, reads each envelope, and
 * matches the pattern against the caller's key (so hashed keys match on their real key).
 * Thread-safe.
 */
final class KeyLister {
  private static final int SCAN_COUNT = 200;

  private final FailSafeStore store;
  private final KeyMapper keys;
  private final VersionGuard versions;
  private final Clock clock;

  KeyLister(FailSafeStore store, KeyMapper keys, VersionGuard versions, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.versions = versions;
    this.clock = clock;
  }

  KeyPage list(GlobPattern glob, @Nullable String cursor, int limit) {
    if (!store.has(StoreCapability.PATTERN_SCAN)) {
      throw new UnsupportedCapabilityException(
          StoreCapability.PATTERN_SCAN,
          store.delegate().getClass().getSimpleName()
              + " cannot list keys; look entries up by key, and invalidate by tag");
    }
    String pattern = GlobPattern.escape(keys.entryPrefix()) + "*";
    List<KeyInfo> found = new ArrayList<>();
    String next = cursor;
    do {
      String from = next;
      ScanPage page = store.call("scan", () -> store.delegate().scan(pattern, from, SCAN_COUNT), null);
      if (page == null) {
        return new KeyPage(found, null);
      }
      for (String storeKey : page.keys()) {
        KeyInfo info = describe(storeKey, glob);
        if (info != null) {
          found.add(info);
        }
      }
      next = page.nextCursor();
    } while (next != null && found.size() < limit);
    // A page may overshoot the limit by part of one scan page: keep it whole rather than lose keys.
    return new KeyPage(found, next);
  }

  private @Nullable KeyInfo describe(String storeKey, GlobPattern glob) {
    byte[] bytes = store.get(storeKey);
    Envelope entry = bytes == null ? null : Envelope.decode(bytes, storeKey, store.inProcess());
    if (entry == null) {
      return null;
    }
    String key = entry.originalKey() != null ? entry.originalKey() : keys.visiblePart(storeKey);
    if (!glob.matches(key)) {
      return null;
    }
    long now = clock.millis();
    VersionGuard.Timeline t = versions.judge(entry);
    KeyInfo.State state;
    if (t == null || now >= Math.max(t.freshUntil(), Math.max(t.staleWhileRevalidateUntil(), t.staleIfErrorUntil()))) {
      state = KeyInfo.State.INVALID;
    } else {
      state = now < t.freshUntil() ? KeyInfo.State.FRESH : KeyInfo.State.STALE;
    }
    Duration ttl = store.call("ttl", () -> store.delegate().ttl(storeKey), null);
    return new KeyInfo(key, state, Instant.ofEpochMilli(entry.createdAt()), ttl, bytes.length,
        entry.tagNames(), entry.contentType());
  }
}
