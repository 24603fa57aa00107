package dev.cachet;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Computes a value on a miss, possibly finishing after it returned, and decides whether it is
 * cached: the asynchronous form of {@link EntryLoader}, for {@link Cachet#fetchAsync}. The HTTP
 * layer uses it for handlers that answer after their request thread has moved on.
 *
 * <p>{@link #load} is called on the thread of the caller that missed (or, for a caller that
 * waited without its thread, on the thread its {@link #resumption()} runs the caller on), at
 * most once per in-process load of a key, but loads of several keys (or of one key in turn) may
 * run at once on several threads. Its future may complete on any thread; the value is written
 * there.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncEntryLoader<V> {

  /**
   * Starts the load. A failed future, a future completed with {@code null}, or an exception
   * thrown here is a failed load.
   *
   * @return the value and whether it may be stored; never {@code null}
   */
  CompletableFuture<Loaded<V>> load() throws Exception;

  /**
   * Where this caller continues when it has waited for a concurrent load of the key without its
   * thread and must then load itself, or {@code null} (the default) for a caller that waits on its
   * own thread.
   *
   * <p>With an executor, a caller that joins a load no thread runs (one whose loader returned a
   * future that has not completed) does not wait for it on its thread: {@link Cachet#fetchAsync}
   * returns at once, and its future completes when that load does. A caller that joins a load a
   * thread still runs waits on its own thread until the load completes or is handed to a future,
   * whichever comes first. Should the caller have to load after all (the load outlasted the
   * builder's {@code maxWait}, or its value may not be shared), {@link #load} is called from a
   * task given to this executor, which must run it where the loader may run for this caller;
   * an executor that rejects the task fails the caller's future. Asked once per miss; the
   * executor is given at most one task per call of {@code fetchAsync}.
   */
  default @Nullable Executor resumption() {
    return null;
  }

  /**
   * How this caller has a stale entry refreshed that it finds inside the entry's
   * stale-while-revalidate window; {@link StaleRefresh#BACKGROUND} by default. Asked once per such
   * read, only then, on the caller's thread.
   */
  default StaleRefresh staleRefresh() {
    return StaleRefresh.BACKGROUND;
  }

  /**
   * Whether this caller wants a new value whatever entry the key has (a client's
   * {@code Cache-Control: no-cache}): {@link Cachet#fetchAsync} then does not read the entry and
   * loads as on a miss (joining a load of the key already running, or leading one with the
   * versions captured before its loader runs), and the entry stays as it is until the new value
   * replaces it, so a load that fails or may not be stored takes nothing away from other callers.
   * {@code false} by default. Asked once per call, on the caller's thread.
   */
  default boolean reloads() {
    return false;
  }

  /**
   * Whether a load by this caller may be the one concurrent callers of the key join; {@code true}
   * by default. A caller whose value can never be stored or shared (a {@code HEAD} request, which
   * has no body) answers {@code false}: on a miss it joins a load of the key that runs, and
   * otherwise loads alone, so that callers who could store a value never wait for it and then
   * each load for themselves. Asked once per miss, on the caller's thread.
   */
  default boolean mayLead() {
    return true;
  }
}
