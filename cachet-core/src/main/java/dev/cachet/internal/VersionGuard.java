package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.internal.FailSafeStore.VersionStamps;
import dev.cachet.store.CacheStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Tag and namespace versions: captured before a loader runs, recorded in the entry, compared on
 * every read. Bumping a version invalidates every entry that recorded the old one at once, which
 * makes tag invalidation O(1) in the number of entries, and capturing <em>before</em> the loader
 * runs means a value computed across an invalidation is recorded with the old version and is never
 * served as fresh. Thread-safe.
 */
public final class VersionGuard {
  private static final int MAX_CACHED_KEY_PAIRS = 10_000;

  private final FailSafeStore store;
  private final KeyMapper keys;
  /** Store keys of each tag's versions, so hits do not rebuild (and rehash) them every time. */
  private final java.util.concurrent.ConcurrentHashMap<String, String[]> versionKeyPairs =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** {@link #likely} per policy tag set. */
  private final java.util.concurrent.ConcurrentHashMap<Set<String>, Likely> likelyByTags =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Version keys this process kept alive lately ({@link CacheStore#touchVersions}): each is
   * touched at most once per quarter of the version TTL, so a version in use never expires.
   */
  private final Cache<String, Boolean> touched;

  public VersionGuard(FailSafeStore store, KeyMapper keys, Clock clock, Duration versionTtl) {
    this.store = store;
    this.keys = keys;
    this.touched = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(versionTtl.dividedBy(4))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
  }

  /** Versions observed at one instant: the namespace's, then per tag hard and soft. */
  public record Captured(long namespaceVersion, List<String> tagNames, long[] tagVersions) {
    /**
     * Whether a load that captured these versions may serve a caller that captured {@code later}:
     * the same versions, except that tags this load found absent may since have been created by
     * a load (this one, as it writes back) but not by an invalidation.
     */
    boolean servesLater(Captured later) {
      if (namespaceVersion != later.namespaceVersion || !tagNames.equals(later.tagNames)
          || tagVersions.length != later.tagVersions.length) {
        return false;
      }
      for (int i = 0; i < tagVersions.length; i++) {
        long mine = tagVersions[i];
        long seen = later.tagVersions[i];
        if (mine != seen && !(mine == 0 && VersionStamps.isCreation(seen, i % 2 == 0))) {
          return false;
        }
      }
      return true;
    }
  }

  /** An entry's serving windows after soft invalidations, in epoch millis. */
  public record Timeline(long freshUntil, long staleWhileRevalidateUntil, long staleIfErrorUntil) {}

  /** Version keys of tags already in store form (as entries record them). */
  private List<String> versionKeys(List<String> encodedTags) {
    List<String> list = new ArrayList<>(1 + 2 * encodedTags.size());
    list.add(keys.namespaceVersionKey());
    for (String tag : encodedTags) {
      String[] pair = versionKeyPairs.get(tag);
      if (pair == null) {
        pair = new String[] {keys.hardVersionKeyOfEncoded(tag), keys.softVersionKeyOfEncoded(tag)};
        if (versionKeyPairs.size() >= MAX_CACHED_KEY_PAIRS) {
          versionKeyPairs.clear(); // many distinct tags: a plain bound beats an eviction policy here
        }
        versionKeyPairs.put(tag, pair);
      }
      list.add(pair[0]);
      list.add(pair[1]);
    }
    return list;
  }

  /**
   * The version keys an entry written under {@code tags} records, with those tags in store form:
   * what a remote store is asked for together with the entry. Cached per tag set.
   */
  Likely likely(Set<String> tags) {
    Likely found = likelyByTags.get(tags);
    if (found == null) {
      List<String> names = new ArrayList<>(tags.size());
      for (String tag : tags) {
        names.add(KeyMapper.encode(tag));
      }
      found = new Likely(List.copyOf(names), List.copyOf(versionKeys(names)));
      if (likelyByTags.size() >= MAX_CACHED_KEY_PAIRS) {
        likelyByTags.clear();
      }
      likelyByTags.put(tags, found);
    }
    return found;
  }

  /** Tags in store form and the version keys of an entry carrying them. */
  record Likely(List<String> tagNames, List<String> versionKeys) {}

  /**
   * Captures the current versions of the namespace and {@code tags} before a load: the
   * namespace's is created if absent, a tag's that does not exist yet is captured as absent (0)
   * and created only if the load's value is written ({@link #completeForWrite}), so that misses
   * that store nothing (a 404, a private answer) leave no version keys behind.
   *
   * @return the versions, or {@code null} when the store cannot say (then nothing may be written)
   */
  public @Nullable Captured capture(Collection<String> tags) {
    return capture(tags, false);
  }

  /**
   * As {@link #capture}, creating every version that does not exist yet (hard versions, and soft
   * baselines: see {@link VersionStamps#newSoftBaseline}): for a value written at once.
   */
  public @Nullable Captured captureForPut(Collection<String> tags) {
    return capture(tags, true);
  }

  private @Nullable Captured capture(Collection<String> tags, boolean createTags) {
    List<String> names = new ArrayList<>(tags.size());
    for (String tag : tags) {
      names.add(KeyMapper.encode(tag));
    }
    List<String> versionKeys = versionKeys(names);
    long[] current = store.getVersions(versionKeys);
    if (current == null) {
      return null;
    }
    touchInUse(versionKeys, current);
    if (current[0] == 0) {
      current[0] = store.setVersionIfAbsent(versionKeys.get(0), VersionStamps.newHardCreation());
      if (current[0] == 0) {
        return null;
      }
    }
    if (createTags && !createAbsent(versionKeys, current, false)) {
      return null;
    }
    long[] tagVersions = new long[current.length - 1];
    System.arraycopy(current, 1, tagVersions, 0, tagVersions.length);
    return new Captured(current[0], List.copyOf(names), tagVersions);
  }

  /**
   * {@code captured} ready to be recorded in a written entry: the tag versions it found absent
   * created now, or taken from another load that created them since ({@link
   * VersionStamps#isCreation}). {@code null} when one of them was made by an invalidation since
   * the capture (the value may predate it: it is not written), or when the store cannot say.
   */
  @Nullable Captured completeForWrite(Captured captured) {
    long[] tagVersions = captured.tagVersions();
    boolean absent = false;
    for (long v : tagVersions) {
      absent |= v == 0;
    }
    if (!absent) {
      return captured;
    }
    long[] current = new long[tagVersions.length + 1];
    current[0] = captured.namespaceVersion();
    System.arraycopy(tagVersions, 0, current, 1, tagVersions.length);
    if (!createAbsent(versionKeys(captured.tagNames()), current, true)) {
      return null;
    }
    long[] completed = new long[tagVersions.length];
    System.arraycopy(current, 1, completed, 0, completed.length);
    return new Captured(captured.namespaceVersion(), captured.tagNames(), completed);
  }

  /**
   * Creates the tag versions found absent, all in one store call: hard versions, and soft
   * baselines, so that losing a soft version later (eviction) reads as a change instead of as
   * "never soft-purged", which would undo a purge. Fills {@code current} in; false when the
   * store cannot say, or, when {@code mustCreate}, when one of them was made by an invalidation
   * meanwhile.
   */
  private boolean createAbsent(List<String> versionKeys, long[] current, boolean mustCreate) {
    int absent = 0;
    for (int i = 1; i < current.length; i++) {
      absent += current[i] == 0 ? 1 : 0;
    }
    if (absent == 0) {
      return true;
    }
    List<String> keysToSet = new ArrayList<>(absent);
    long[] proposed = new long[absent];
    int[] at = new int[absent];
    for (int i = 1, j = 0; i < current.length; i++) {
      if (current[i] == 0) {
        keysToSet.add(versionKeys.get(i));
        proposed[j] = i % 2 == 1 ? VersionStamps.newHardCreation() : VersionStamps.newSoftBaseline();
        at[j++] = i;
      }
    }
    long[] stored = store.setVersionsIfAbsent(keysToSet, proposed);
    for (int j = 0; j < absent; j++) {
      boolean madeByAnInvalidation =
          stored[j] != proposed[j] && !VersionStamps.isCreation(stored[j], at[j] % 2 == 1);
      if (stored[j] == 0 || (mustCreate && madeByAnInvalidation)) {
        return false; // another load's creation is taken; an invalidation since the capture is not
      }
      current[at[j]] = stored[j];
    }
    return true;
  }

  /**
   * Keeps alive the tag versions a load found (the namespace's never expires), those this process
   * has not touched for a quarter of the version TTL: without it a tag in constant use would
   * expire a version TTL after it was created, and every entry carrying it with it.
   */
  private void touchInUse(List<String> versionKeys, long[] found) {
    List<String> due = null;
    for (int i = 1; i < found.length; i++) {
      String key = versionKeys.get(i);
      if (touched.getIfPresent(key) == null) {
        touched.put(key, Boolean.TRUE); // one found absent is created below, with the full TTL
        if (found[i] != 0) {
          if (due == null) {
            due = new ArrayList<>();
          }
          due.add(key);
        }
      }
    }
    if (due != null) {
      store.touchVersions(due);
    }
  }

  /**
   * Judges a stored entry against the current versions.
   *
   * @return its serving windows, shortened by any soft invalidation since it was loaded; or
   *     {@code null} when a hard invalidation has happened or the versions cannot be read
   */
  public @Nullable Timeline judge(Envelope entry) {
    return judge(entry, store.getVersions(versionKeys(entry.tagNames())));
  }

  /**
   * Judges an entry against versions read with it for {@code likely}, when those are the ones it
   * recorded; otherwise against versions read now.
   */
  @Nullable Timeline judge(Envelope entry, Likely likely, long @Nullable [] prefetched) {
    long[] current = prefetched == null ? null : inEntryOrder(entry.tagNames(), likely, prefetched);
    return current != null ? judge(entry, current) : judge(entry);
  }

  /**
   * Prefetched versions rearranged in the order the entry recorded its tags (set iteration
   * order differs between processes), or {@code null} unless the entry has exactly those tags.
   */
  private static long @Nullable [] inEntryOrder(
      List<String> entryTags, Likely likely, long[] prefetched) {
    List<String> names = likely.tagNames();
    if (entryTags.size() != names.size() || prefetched.length != 1 + 2 * names.size()) {
      return null;
    }
    if (entryTags.equals(names)) {
      return prefetched;
    }
    long[] ordered = new long[prefetched.length];
    ordered[0] = prefetched[0];
    for (int i = 0; i < entryTags.size(); i++) {
      int at = names.indexOf(entryTags.get(i));
      if (at < 0) {
        return null;
      }
      ordered[1 + 2 * i] = prefetched[1 + 2 * at];
      ordered[2 + 2 * i] = prefetched[2 + 2 * at];
    }
    return ordered;
  }

  private @Nullable Timeline judge(Envelope entry, long @Nullable [] current) {
    if (current == null || current[0] != entry.namespaceVersion()) {
      return null;
    }
    long[] recorded = entry.tagVersions();
    long softAt = Long.MAX_VALUE;
    for (int i = 0; i < recorded.length; i += 2) {
      if (current[i + 1] != recorded[i]) {
        return null;
      }
      long soft = current[i + 2];
      if (soft != recorded[i + 1]) {
        // A purge stamp says when; a lost soft version (0, or a baseline made since) may have
        // held a purge: soft-invalidated at the epoch, so stale past every window now.
        softAt = Math.min(softAt, VersionStamps.isPurge(soft) ? VersionStamps.softMillis(soft) : 0);
      }
    }
    long fresh = entry.freshUntil();
    if (softAt >= fresh) {
      return new Timeline(fresh, entry.staleWhileRevalidateUntil(), entry.staleIfErrorUntil());
    }
    long swrWindow = entry.staleWhileRevalidateUntil() - fresh;
    long sieWindow = entry.staleIfErrorUntil() - fresh;
    return new Timeline(softAt, softAt + swrWindow, softAt + sieWindow);
  }

  /** Invalidates every entry carrying any of {@code tags}. */
  public void invalidate(Collection<String> tags) {
    for (String tag : tags) {
      store.setVersionDurably(keys.hardVersionKey(tag), VersionStamps.newHard());
    }
  }

  /** Marks every entry carrying any of {@code tags} stale as of {@code nowMillis}. */
  public void softInvalidate(Collection<String> tags, long nowMillis) {
    for (String tag : tags) {
      store.setVersionDurably(keys.softVersionKey(tag), VersionStamps.newSoft(nowMillis));
    }
  }

  /** Invalidates every entry of the namespace. */
  public void invalidateNamespace() {
    store.setVersionDurably(keys.namespaceVersionKey(), VersionStamps.newHard());
  }
}
