package dev.cachet.http.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Hands the core's background refresh of a stale entry over to a request thread.
 *
 * <p>Why: the core refreshes a stale entry by running the loader on its refresh executor, with
 * the entry's tag versions captured before the loader starts (so a racing invalidation is never
 * lost). An HTTP handler, however, can only run on a request thread: a Servlet request cannot be
 * used once its response is complete. So the loader, when it finds itself on a background
 * thread, registers a slot for its key and waits; a request that was served the stale entry then
 * runs the handler on its own thread, after its response was sent, and completes the slot. The
 * core writes the result as for any refresh. One slot per key at a time (the core runs at most
 * one refresh per key); a slot nobody serves in time fails the refresh and the stale entry stays.
 *
 * <p>Thread-safe.
 *
 * @param <T> what the loader returns
 */
public final class Revalidations<T> {
  private static final int STRIPES = 64;

  private static final class Slot<T> {
    final CompletableFuture<T> result = new CompletableFuture<>();
    final AtomicBoolean claimed = new AtomicBoolean();
  }

  private final ConcurrentHashMap<String, Slot<T>> slots = new ConcurrentHashMap<>();
  private final AtomicLongArray completed = new AtomicLongArray(STRIPES);
  // A lock and condition rather than a monitor: a virtual thread waiting in Object.wait pins its
  // carrier thread (JDK 21 to 23), and request threads wait here.
  private final ReentrantLock signalLock = new ReentrantLock();
  private final Condition signal = signalLock.newCondition();

  private static int stripe(String key) {
    return (key.hashCode() & 0x7fffffff) % STRIPES;
  }

  /** A mark taken before a lookup, so that {@link #serve} knows whether a refresh ended since. */
  public long mark(String key) {
    return completed.get(stripe(key));
  }

  /**
   * The background side: waits up to {@code timeout} for a request thread to produce the value.
   *
   * @throws TimeoutException when no request thread served the slot in time
   * @throws IllegalStateException when another refresh of the key is already waiting
   */
  public T await(String key, Duration timeout) throws Exception {
    Slot<T> slot = new Slot<>();
    if (slots.putIfAbsent(key, slot) != null) {
      throw new IllegalStateException("a refresh of this key is already waiting for a request");
    }
    wake();
    try {
      return slot.result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception ex ? ex : new ExecutionException(cause);
    } finally {
      slot.claimed.set(true); // too late for anyone to start serving it
      slots.remove(key, slot);
      completed.incrementAndGet(stripe(key));
      wake();
    }
  }

  /**
   * The request side: when a refresh of {@code key} is waiting (or starts waiting within
   * {@code wait}, unless a refresh of the key ended since {@code mark}), runs {@code load} on this
   * thread and hands its result, or failure, to it.
   *
   * @return whether {@code load} ran
   */
  public boolean serve(String key, long mark, Duration wait, Callable<T> load) {
    Slot<T> slot = awaitSlot(key, mark, wait);
    if (slot == null || !slot.claimed.compareAndSet(false, true)) {
      return false;
    }
    try {
      slot.result.complete(load.call());
    } catch (Throwable t) {
      slot.result.completeExceptionally(t);
      if (t instanceof Error error) {
        throw error;
      }
    }
    return true;
  }

  /** Whether a refresh of {@code key} is waiting for a request now. */
  public boolean isWaiting(String key) {
    return slots.containsKey(key);
  }

  private @Nullable Slot<T> awaitSlot(String key, long mark, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    signalLock.lock();
    try {
      while (true) {
        Slot<T> slot = slots.get(key);
        if (slot != null) {
          return slot;
        }
        if (completed.get(stripe(key)) != mark) {
          return null; // a refresh ended since the lookup: ours, or one that made this one moot
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          signal.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    } finally {
      signalLock.unlock();
    }
  }

  private void wake() {
    signalLock.lock();
    try {
      signal.signalAll();
    } finally {
      signalLock.unlock();
    }
  }
}
