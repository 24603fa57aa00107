package dev.cachet.internal;

import dev.cachet.KeyInfo;
import dev.cachet.KeyPage;
import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.store.UnsupportedCapabilityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lists a namespace's entries for administration: scans {@code ns:k:*}, reads each envelope, and
 * matches the pattern against the caller's key (so hashed keys match on their real key). Bytes
 * that are no readable entry are listed as {@link KeyInfo.State#CORRUPT}, under the key their
 * store key shows.
 *
 * <p>A page holds at most {@code limit} entries and costs a bounded amount of work: the scan stops
 * after {@link #MAX_SCANNED} store keys even when few of them match, and answers with what it
 * found and a cursor to go on from. The cursor names the store's scan position and, when a page
 * ended inside a scan page, the last store key listed, so the next page starts after it. A scan
 * the store does not answer ends the listing with an exception, never with a page that looks
 * complete. A scan the store cannot complete ({@link IncompleteScanException}: keys moved between
 * cluster masters while it ran) starts over from the first store key: keys may then be listed
 * again, never skipped. Thread-safe.
 */
final class KeyLister {
  private static final int SCAN_COUNT = 200;
  /** Store keys one page reads at most, whatever the pattern: a listing never scans the store whole at once. */
  static final int MAX_SCANNED = 5_000;
  /** Scan calls one page makes at most, however few keys they return. */
  static final int MAX_SCAN_CALLS = 50;

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
          store.storeName()
              + " cannot list keys; delete entries by key, and invalidate them by tag");
    }
    String pattern = GlobPattern.escape(keys.entryPrefix()) + "*";
    ListingCursor at = ListingCursor.parse(cursor);
    String pageStart = at.scanCursor();
    String listedUpTo = at.lastListed();
    List<KeyInfo> found = new ArrayList<>();
    int scanned = 0;
    for (int calls = 1; ; calls++) {
      String from = pageStart;
      ScanPage page = scan(pattern, from);
      if (page == null) {
        // The pages listed so far may lack keys that moved; a new scan lists them (again).
        pageStart = null;
        listedUpTo = null;
        if (calls >= MAX_SCAN_CALLS) {
          return new KeyPage(found, ListingCursor.startOver());
        }
        continue;
      }
      // Sorted, a page resumes after the last key listed even if the store answers the same
      // cursor with its keys in another order (Redis may, after a rehash): none is skipped.
      List<String> storeKeys = new ArrayList<>(page.keys());
      storeKeys.sort(null);
      int first = 0;
      if (listedUpTo != null) {
        while (first < storeKeys.size() && storeKeys.get(first).compareTo(listedUpTo) <= 0) {
          first++;
        }
      }
      listedUpTo = null;
      for (int i = first; i < storeKeys.size(); i++) {
        scanned++;
        KeyInfo info = describe(storeKeys.get(i), glob);
        if (info != null && found.add(info) && found.size() == limit) {
          boolean lastOfPage = i == storeKeys.size() - 1;
          return new KeyPage(found, lastOfPage
              ? ListingCursor.encode(page.nextCursor(), null)
              : ListingCursor.encode(from, storeKeys.get(i)));
        }
      }
      if (page.nextCursor() == null) {
        return new KeyPage(found, null);
      }
      pageStart = page.nextCursor();
      // Bounded in keys read and in scan calls: in a large shared Redis most pages of this
      // namespace's pattern may come back empty.
      if (scanned >= MAX_SCANNED || calls >= MAX_SCAN_CALLS) {
        return new KeyPage(found, ListingCursor.encode(pageStart, null));
      }
    }
  }

  /**
   * One scan page, or {@code null} when the store cannot complete the scan {@code cursor} belongs
   * to; a cursor the store rejects is the caller's mistake, not an outage.
   */
  private @Nullable ScanPage scan(String pattern, @Nullable String cursor) {
    IllegalArgumentException[] rejected = new IllegalArgumentException[1];
    boolean[] incomplete = new boolean[1];
    ScanPage page = store.call("scan", () -> {
      try {
        return store.delegate().scan(pattern, cursor, SCAN_COUNT);
      } catch (IllegalArgumentException e) {
        rejected[0] = e; // not a store failure: kept out of the failure count
        return null;
      } catch (IncompleteScanException e) {
        incomplete[0] = true; // nor is this: the store answered
        return null;
      }
    }, null);
    if (rejected[0] != null) {
      throw new IllegalArgumentException("not a cursor a key listing of this store gave", rejected[0]);
    }
    if (incomplete[0]) {
      return null;
    }
    if (page == null) {
      throw new StoreUnavailableException("the store did not answer a scan, so the listing stopped before its"
          + " end; retry with the same cursor");
    }
    return page;
  }

  private @Nullable KeyInfo describe(String storeKey, GlobPattern glob) {
    byte[] bytes = store.get(storeKey);
    if (bytes == null) {
      return null; // gone since the scan
    }
    Envelope entry = Envelope.decode(bytes, storeKey, store.inProcess());
    if (entry == null) {
      // Listed, so that an operator sees what lookups keep reading as misses, and deletes it.
      String shown = keys.visiblePart(storeKey);
      if (!glob.matches(shown)) {
        return null;
      }
      Duration ttl = store.call("ttl", () -> store.delegate().ttl(storeKey), null);
      return new KeyInfo(shown, KeyInfo.State.CORRUPT, null, ttl, bytes.length, List.of(), "");
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
