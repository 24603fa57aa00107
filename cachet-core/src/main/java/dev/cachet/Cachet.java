package dev.cachet;

import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A cache over one namespace of a store: read-through with single-flight, stale serving, and
 * invalidation by key, pattern, tag and namespace.
 *
 * <p>Built with {@link #builder()}. Thread-safe. Store failures never reach the caller: they are
 * counted in {@link #stats()} and read as misses. Every method throws
 * {@link NullPointerException} for a {@code null} argument (but the cursor of {@link #keys}).
 * Keys may be any string of any length, the empty one included; tags any non-empty string
 * ({@link IllegalArgumentException} for an empty one). Long or unusual ones are hashed for the
 * store.
 *
 * <p>Consistency: once an invalidation call returns, no value whose loader started before the
 * call is served as fresh by this instance, or by any instance sharing the store once the store
 * has acknowledged the invalidation (an instance reading through a near cache, such as Redis's,
 * once the store's invalidation push has reached it, at most the near cache's lease later).
 */
public interface Cachet extends AutoCloseable {

  /** A builder with the defaults: an embedded {@code MemoryStore}, namespace {@code cachet}. */
  static CachetBuilder builder() {
    return new CachetBuilder();
  }

  /**
   * A cache that caches nothing: reads run their loader, writes and invalidations do nothing. For
   * switching caching off by configuration without changing the code that uses it.
   */
  static Cachet noop() {
    return dev.cachet.internal.NoopCachet.INSTANCE;
  }

  /**
   * Returns the cached value of {@code key}, loading and storing it on a miss.
   *
   * <p>Concurrent misses of one key in this process run {@code loader} once; the others wait up
   * to the builder's {@code maxWait} for it. A load still running then may be hung: the first
   * caller that gives up loads in its place, with its value stored and later callers joining it,
   * so that a hung loader never leaves its key uncached; the load it took over from still stores
   * its value if it ends first, never once the newer one is stored. (Other callers that gave up
   * load for themselves, unstored.) A stale entry inside its
   * stale-while-revalidate window is returned at once while one background refresh runs; when
   * the loader throws inside the stale-if-error window the stale value is returned instead.
   *
   * <p>Callers that share a load get the loader's one value instance, not copies (a hit decodes
   * a new one each time): treat values as immutable, or use a codec that copies.
   *
   * @throws CacheLoaderException when the loader throws a checked exception (runtime exceptions
   *     and errors are rethrown as they are)
   */
  <V> @Nullable V get(String key, Codec<V> codec, CachePolicy policy, CacheLoader<? extends V> loader);

  /** {@link #get(String, Codec, CachePolicy, CacheLoader)} with the builder's default policy. */
  <V> @Nullable V get(String key, Codec<V> codec, CacheLoader<? extends V> loader);

  /**
   * Like {@link #get}, but the loader decides per value whether it is cached, and the result says
   * whether it was a hit, a stale hit or a miss, and how old it is. Callers that share a load
   * share its value instance, as with {@link #get}.
   *
   * @throws CacheLoaderException when the loader throws a checked exception (runtime exceptions
   *     and errors are rethrown as they are)
   */
  <V> CacheResult<V> fetch(String key, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader);

  /**
   * {@link #fetch} for a loader whose value may come after it returned. Everything
   * {@link #fetch} does before loading happens on the caller's thread, before this returns: the
   * lookup, and on a miss either joining a concurrent load of the key (waiting for it on this
   * thread, at most the builder's {@code maxWait}, as {@link #fetch}'s callers do) or calling
   * {@code loader} once. So the loader never runs on another thread, except in the background
   * refresh of a stale entry, which waits for its future. The returned future completes when the
   * value is there and written: at once for a hit or a joined load, when the loader's future does
   * for a load of this caller's. A load still running after {@code maxWait} is abandoned by a
   * joining caller that gives up on it, as {@link #get}'s are: that caller loads in its place and
   * its value is stored; the abandoned load's never is.
   *
   * <p>A loader with a {@link AsyncEntryLoader#resumption()} lets its caller wait for such a load
   * (one no thread runs) without its thread: the future is then returned at once and completes
   * with that load, and should the caller have to load after all, its loader runs where the
   * resumption executor runs it. A stale entry inside its stale-while-revalidate window is
   * refreshed as the loader's {@link AsyncEntryLoader#staleRefresh()} says: in the background
   * (the default), by this caller in the foreground, or not at all.
   *
   * <p>Failures (the loader's, or a joined load's) complete the future exceptionally, with the
   * stale value instead inside the stale-if-error window; a checked exception arrives wrapped in
   * a {@link CacheLoaderException}.
   */
  <V> CompletableFuture<CacheResult<V>> fetchAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader);

  /**
   * Asynchronous {@link #get}: the lookup runs on the caller's thread, the loader's future is
   * shared by concurrent misses of the key. Loader failures complete the future exceptionally.
   */
  <V> CompletableFuture<@Nullable V> getAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncCacheLoader<? extends V> loader);

  /** The fresh value of {@code key}, or {@code null}; never loads, never serves stale. */
  <V> @Nullable V getIfPresent(String key, Codec<V> codec);

  /** The servable entry of {@code key} (fresh, or stale inside a window), or {@code null}. */
  <V> @Nullable CacheResult<V> peek(String key, Codec<V> codec);

  /** Stores {@code value} under {@code key}, replacing any entry. */
  <V> void put(String key, V value, Codec<V> codec, CachePolicy policy);

  /** Whether {@code key} has a fresh entry. */
  boolean exists(String key);

  /**
   * Removes {@code key}. A load of the key already running in this process is not written back.
   *
   * @return whether an entry was removed (always {@code false} while the store is unreachable,
   *     in which case the delete is applied once it is back)
   */
  boolean delete(String key);

  /**
   * Removes every key of this namespace matching the glob {@code pattern} ({@code *}, {@code ?},
   * {@code [...]}, backslash escapes); keys outside the namespace are never touched. A load or
   * background refresh of a matching key running in this process is not written back, whether or
   * not its key was stored yet. When the store cannot be scanned to the end (unreachable, a page
   * fails, or keys moved between Redis Cluster masters during the scan) the whole namespace is
   * invalidated instead, as by {@link #clear()}, and kept for
   * replay like any invalidation issued while the store is unreachable.
   *
   * @return the number of entries removed (when the namespace was invalidated instead, those
   *     removed before the scan failed)
   * @throws UnsupportedCapabilityException when the store cannot list keys (use tags there)
   * @throws IllegalArgumentException when the pattern is malformed
   */
  long deleteByPattern(String pattern);

  /**
   * {@link #deleteByPattern}, telling also whether the whole namespace was invalidated instead,
   * for callers that report what was done (an admin API). The default tells what
   * {@link #deleteByPattern} returns, and never a namespace invalidation.
   *
   * @throws UnsupportedCapabilityException when the store cannot list keys (use tags there)
   * @throws IllegalArgumentException when the pattern is malformed
   */
  default PatternDeletion deleteByPatternReporting(String pattern) {
    return new PatternDeletion(deleteByPattern(pattern), false);
  }

  /**
   * Removes every key that starts with {@code prefix} (taken literally): {@link #deleteByPattern}
   * of the escaped prefix followed by {@code *}, with the same handling of running loads and of a
   * scan that cannot be completed.
   *
   * @return the number of entries removed
   * @throws UnsupportedCapabilityException when the store cannot list keys (use tags there)
   */
  long invalidatePrefix(String prefix);

  /**
   * The invalidations (deletes, tag and namespace bumps) this cache issued while its store was
   * unreachable and keeps to apply once it answers; {@code 0} when every one has reached the
   * store. A {@link dev.cachet.store.FallbackStore} keeps its own for its primary
   * ({@link dev.cachet.store.FallbackStore#pendingInvalidations()}). The default is {@code 0}.
   */
  default int pendingInvalidations() {
    return 0;
  }

  /** Invalidates this namespace, in O(1); other namespaces in the same store are untouched. */
  void clear();

  /** Invalidates every entry carrying any of {@code tags}, in O(1) per tag. */
  void invalidateTags(Collection<String> tags);

  /** Varargs form of {@link #invalidateTags(Collection)}. */
  default void invalidateTags(String... tags) {
    invalidateTags(Arrays.asList(Objects.requireNonNull(tags, "tags")));
  }

  /**
   * Marks every entry carrying any of {@code tags} stale rather than gone: entries are served
   * stale for at most their stale-while-revalidate window, counted from now, while they refresh.
   */
  void softInvalidateTags(Collection<String> tags);

  /**
   * Lists this namespace's entries whose key matches the glob {@code pattern}, a page at a time,
   * with their state, age, size and tags. For administration: it reads every entry it lists.
   *
   * @param cursor {@code null} for the first page, else a previous page's {@link KeyPage#nextCursor()}
   * @param limit the most entries a page holds, 1 to 1,000. A page may hold fewer, even none, and
   *     still have a next cursor: one page reads a bounded number of stored keys (5,000), so a
   *     pattern that matches few entries is listed over several calls rather than in one long one.
   *     Every entry present throughout the listing is listed; one may be listed twice, when the
   *     store cannot complete its scan (a Redis Cluster reshard during the listing) and the
   *     listing starts over
   * @throws UnsupportedCapabilityException when the store cannot list keys
   * @throws dev.cachet.store.StoreUnavailableException when the store stops answering the scan: a
   *     listing is never cut short silently; retry with the same cursor
   * @throws IllegalArgumentException for a malformed pattern or a limit out of range
   */
  KeyPage keys(String pattern, @Nullable String cursor, int limit);

  /** A snapshot of the counters. */
  CacheStats stats();

  /**
   * The namespace this cache reads and writes, as given to its builder ({@code cachet} by
   * default); empty for {@link #noop()}, which touches no store.
   */
  String namespace();

  /** The optional operations the store supports. */
  Set<StoreCapability> capabilities();

  /**
   * Stops background refreshes, and closes the store if the cache created it. A cache used after
   * this (requests still running while an application shuts down) still answers every call
   * without an exception: its loaders run, a store it closed reads as a miss, and nothing is
   * refreshed in the background.
   */
  @Override
  void close();
}
