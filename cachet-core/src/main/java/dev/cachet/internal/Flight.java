package dev.cachet.internal;

import dev.cachet.Codec;
import dev.cachet.internal.VersionGuard.Captured;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One load of one key in this process, shared by the callers that miss it meanwhile.
 *
 * <p>A caller joins only a flight that captured the same versions it sees now: a flight started
 * before an invalidation is not joined after it, so its value reaches only the callers that asked
 * before the invalidation. A flight is poisoned when its key is deleted or put while it runs: it
 * then completes for its callers but is not written back. Poisoning and the write-back exclude
 * each other ({@link #writeUnlessPoisoned}), so once {@link #poison} has returned the flight's
 * value is either already in the store (and the caller's delete or put comes after it) or never
 * reaches it.
 */
final class Flight {
  /**
   * What a flight produced: the value, and its encoded form ({@code length} bytes of
   * {@code bytes} from {@code offset}) for callers with another codec. {@code shared} is false
   * for values only their loader's caller may see.
   */
  record Result(
      @Nullable Object value, Codec<?> codec, byte @Nullable [] bytes, int offset, int length,
      long createdAt, boolean shared) {
    Result(@Nullable Object value, Codec<?> codec, byte @Nullable [] bytes, long createdAt, boolean shared) {
      this(value, codec, bytes, 0, bytes == null ? 0 : bytes.length, createdAt, shared);
    }
  }

  /** The caller's key, which pattern deletes match. */
  final String key;
  final @Nullable Captured captured;
  /** When the load began, by the cache's clock (epoch millis). */
  final long startedAt;
  /**
   * Whether the load is a future no thread runs to its end: it may never complete, so a caller
   * that gives up waiting on it abandons it. A synchronous load is a running thread, hung or only
   * slow: a caller that gives up on it takes its place in the map ({@link #supersede}) without
   * discarding its value.
   */
  private volatile boolean async;
  /**
   * The synchronous load this one took the place of: it still writes its value back if it ends
   * first, and is poisoned once this one has written, or is poisoned itself.
   */
  private volatile @Nullable Flight superseded;
  /** Completed once the load is handed to a future; made only for a caller that waits for that. */
  private volatile @Nullable CompletableFuture<Void> handedOff;
  final CompletableFuture<Result> future = new CompletableFuture<>();
  private volatile boolean poisoned;
  /**
   * Excludes poisoning from a write-back. A lock rather than a monitor: the write-back is store
   * I/O, and a virtual thread blocked inside a monitor pins its carrier thread (JDK 21 to 23).
   */
  private final ReentrantLock writing = new ReentrantLock();

  private static final VarHandle HANDED_OFF;

  static {
    try {
      HANDED_OFF = MethodHandles.lookup().findVarHandle(Flight.class, "handedOff", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  Flight(String key, @Nullable Captured captured, long startedAt) {
    this(key, captured, startedAt, false);
  }

  Flight(String key, @Nullable Captured captured, long startedAt, boolean async) {
    this.key = key;
    this.captured = captured;
    this.startedAt = startedAt;
    this.async = async;
  }

  /** Whether the load is a future no thread runs to its end (see {@link #markAsync}). */
  boolean async() {
    return async;
  }

  /** The loader returned a future that has not completed: no thread runs this load to its end. */
  void markAsync() {
    async = true;
    CompletableFuture<Void> signal = handedOff;
    if (signal != null) {
      signal.complete(null);
    }
  }

  /**
   * Waits, until {@code deadlineNanos} ({@link System#nanoTime()}) at most, while a thread runs
   * this load: until it completes or is handed to a future.
   *
   * @return whether the load is now a future no thread runs that has not completed
   */
  boolean awaitHandOff(long deadlineNanos) throws InterruptedException {
    if (!async && !future.isDone()) {
      CompletableFuture<Void> signal = handedOff;
      if (signal == null) {
        CompletableFuture<Void> made = new CompletableFuture<>();
        Object witness = HANDED_OFF.compareAndExchange(this, null, made);
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> first = witness == null ? made : (CompletableFuture<Void>) witness;
        signal = first;
      }
      if (async) {
        signal.complete(null); // marked between the check above and the signal's publication
      }
      try {
        CompletableFuture.anyOf(future, signal)
            .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Still running on its thread, or failed: the caller reads the outcome itself.
      }
    }
    return async && !future.isDone();
  }

  /** Whether a delete or put has stopped this flight's write-back. */
  boolean poisoned() {
    return poisoned;
  }

  boolean joinableBy(Captured seen) {
    return !poisoned && captured != null && captured.servesLater(seen);
  }

  /**
   * Stops this flight's write-back; waits for one already under way (at most one store write,
   * bounded by the store's command timeout).
   */
  void poison() {
    writing.lock();
    try {
      poisoned = true;
    } finally {
      writing.unlock();
    }
    Flight older = superseded;
    if (older != null) {
      older.poison(); // a delete or put reaches the load this one took the place of, too
    }
  }

  /**
   * Records that this flight took the place of {@code older}, a synchronous load a caller gave up
   * waiting for: {@code older} keeps writing its value back unless this flight writes first or is
   * poisoned.
   */
  void supersede(Flight older) {
    superseded = older;
    if (poisoned) {
      older.poison(); // poisoned before the line above was seen
    }
  }

  /**
   * Runs {@code write} unless the flight was poisoned, excluding {@link #poison} meanwhile; once
   * written, the load it superseded can no longer write its older value over it.
   */
  boolean writeUnlessPoisoned(Runnable write) {
    writing.lock();
    try {
      if (poisoned) {
        return false;
      }
      write.run();
    } finally {
      writing.unlock();
    }
    Flight older = superseded;
    if (older != null) {
      older.poison();
      superseded = null;
    }
    return true;
  }
}
