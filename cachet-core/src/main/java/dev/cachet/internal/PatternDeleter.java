package dev.cachet.internal;

import dev.cachet.store.IncompleteScanException;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the entries whose caller key matches a glob, using the store's scan. Literal keys are
 * matched by the store itself; hashed keys (see {@link KeyMapper}) carry their caller key in the
 * envelope and are matched on it, so a pattern never removes a key it does not match. Only keys
 * under the namespace's entry prefix are ever scanned. When the scan cannot be completed (store
 * unreachable, a page failing, a cluster master down, keys moved between cluster masters while it
 * ran: {@link IncompleteScanException}) the whole namespace is invalidated instead, durably, as
 * {@code clear()} is: more is invalidated, never less. Thread-safe.
 */
final class PatternDeleter {
  private static final System.Logger LOG = System.getLogger("dev.cachet");
  private static final int PAGE = 500;

  private final FailSafeStore store;
  private final KeyMapper keys;
  private final Runnable invalidateNamespace;

  /** @param invalidateNamespace bumps the namespace version durably (kept for replay if need be) */
  PatternDeleter(FailSafeStore store, KeyMapper keys, Runnable invalidateNamespace) {
    this.store = store;
    this.keys = keys;
    this.invalidateNamespace = invalidateNamespace;
  }

  /**
   * The store keys deleted, and whether the namespace was invalidated instead (the scan could
   * not be completed; the keys are then those deleted before).
   */
  record Outcome(List<String> deleted, boolean namespaceInvalidated) {}

  /**
   * Deletes the entries whose caller key matches {@code glob}; when the scan fails part way, also
   * invalidates the namespace.
   */
  Outcome delete(GlobPattern glob) {
    requireScan();
    String prefix = GlobPattern.escape(keys.entryPrefix());
    List<String> deleted = new ArrayList<>();
    String start = keys.storeKeyStart(glob.literalPrefix());
    boolean complete;
    if (!start.isEmpty()) {
      // Every key a match can have, literal or hashed, starts with it: one pass over the store.
      complete = scan(prefix + GlobPattern.escape(start) + "*", storeKey -> KeyMapper.isHashed(storeKey)
          ? matchesHashed(storeKey, glob) : glob.matches(keys.visiblePart(storeKey)), deleted);
    } else {
      // Literal keys: the store filters. Hashed keys: every one is checked against its caller key.
      complete = scan(prefix + glob, storeKey -> !KeyMapper.isHashed(storeKey), deleted)
          && scan(prefix + "*" + KeyMapper.HASH_MARK + "*",
              storeKey -> matchesHashed(storeKey, glob), deleted);
    }
    if (!complete) {
      // A scan cannot be replayed (what it must find is unknown until it runs): bump the
      // namespace through the same backlog as other invalidations, so nothing matching survives.
      invalidateNamespace.run();
    }
    return new Outcome(deleted, !complete);
  }

  /** @throws UnsupportedCapabilityException when the store cannot scan */
  void requireScan() {
    if (!store.has(StoreCapability.PATTERN_SCAN)) {
      throw new UnsupportedCapabilityException(
          StoreCapability.PATTERN_SCAN,
          store.storeName()
              + " cannot delete by pattern; give the entries a tag and invalidate the tag instead");
    }
  }

  private boolean matchesHashed(String storeKey, GlobPattern glob) {
    if (!KeyMapper.isHashed(storeKey)
        || !glob.couldMatchExtensionOf(keys.visiblePart(storeKey))) {
      return false;
    }
    byte[] bytes = store.get(storeKey);
    Envelope entry = bytes == null ? null : Envelope.decode(bytes, storeKey, store.inProcess());
    // An unreadable entry under our prefix is removed when its visible part could match.
    return entry == null || entry.originalKey() == null || glob.matches(entry.originalKey());
  }

  /** Deletes what {@code accept}s among the keys matching {@code pattern}; false if a page failed. */
  private boolean scan(String pattern, java.util.function.Predicate<String> accept, List<String> out) {
    String cursor = null;
    do {
      String from = cursor;
      IncompleteScanException[] incomplete = new IncompleteScanException[1];
      ScanPage page = store.call("scan", () -> {
        try {
          return store.delegate().scan(pattern, from, PAGE);
        } catch (IncompleteScanException e) {
          incomplete[0] = e; // the store answered: not a failure to count
          return null;
        }
      }, null);
      if (incomplete[0] != null) {
        LOG.log(System.Logger.Level.INFO, "Cachet pattern delete: " + incomplete[0].getMessage()
            + "; invalidating the namespace instead");
      }
      if (page == null) {
        return false;
      }
      for (String storeKey : page.keys()) {
        if (accept.test(storeKey) && store.deleteDurably(storeKey)) {
          out.add(storeKey);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return true;
  }
}
