package dev.cachet.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Invalidations a store could not take, kept to be replayed before the store is read again. They
 * are kept per store key, latest last: invalidations of different keys commute, and for one key
 * only the latest matters, so a long outage costs one slot per distinct key. Past
 * {@code capacity} keys they collapse into one {@code collapse} action (such as a namespace bump)
 * that invalidates at least as much. While anything waits, a shared daemon thread retries the
 * replay every {@value #RETRY_MILLIS} ms, so that an instance that receives no requests still
 * delivers its invalidations once the store is back. Thread-safe; cheap to check when empty.
 * The replay is store I/O under a lock, not a monitor, so that a virtual thread replaying does not
 * pin its carrier thread (JDK 21 to 23).
 */
public final class InvalidationBacklog {
  static final long RETRY_MILLIS = 500;
  private static final java.util.concurrent.ScheduledExecutorService RETRIES =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachet-invalidation-replay");
        t.setDaemon(true);
        return t;
      });

  private final int capacity;
  private final Runnable collapse;
  private final Runnable retry;
  private java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledFuture<?> retrying;
  private boolean closed;
  private final Map<String, Runnable> pending = new LinkedHashMap<>();
  private volatile boolean empty = true;
  private boolean collapsed;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param collapse what replaces the backlog past its capacity
   * @param retry the owner's attempt to replay (it calls {@link #drain} when the store answers)
   */
  public InvalidationBacklog(int capacity, Runnable collapse, Runnable retry) {
    this.capacity = capacity;
    this.collapse = collapse;
    this.retry = retry;
  }

  /** Stops the background retries (the owner is closed). */
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (retrying != null) {
        retrying.cancel(false);
        retrying = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private void scheduleRetries() {
    if (retrying == null && !closed) {
      retrying = RETRIES.scheduleWithFixedDelay(() -> {
        if (isEmpty()) {
          lock.lock();
          try {
            if (retrying != null && isEmpty()) {
              retrying.cancel(false);
              retrying = null;
            }
          } finally {
            lock.unlock();
          }
          return;
        }
        try {
          retry.run();
        } catch (RuntimeException e) {
          // still unreachable: try again later
        }
      }, RETRY_MILLIS, RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** Whether nothing is waiting; a volatile read. */
  public boolean isEmpty() {
    return empty;
  }

  /** Number of invalidations waiting ({@code capacity} once collapsed). */
  public int size() {
    lock.lock();
    try {
      return collapsed ? capacity : pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Keeps {@code invalidation} of store key {@code key}, replacing an earlier one of that key. */
  public void add(String key, Runnable invalidation) {
    lock.lock();
    try {
      if (collapsed) {
        return;
      }
      pending.remove(key);
      if (pending.size() >= capacity) {
        pending.clear();
        collapsed = true;
      } else {
        pending.put(key, invalidation);
      }
      empty = false;
      scheduleRetries();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replays everything waiting, in order.
   *
   * @throws RuntimeException the store's failure; what was not replayed stays
   */
  public void drain() {
    lock.lock();
    try {
      if (collapsed) {
        collapse.run();
        collapsed = false;
      }
      Iterator<Runnable> it = pending.values().iterator();
      while (it.hasNext()) {
        it.next().run();
        it.remove();
      }
      empty = true;
    } finally {
      lock.unlock();
    }
  }
}
