package dev.cachet.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invalidations a store could not take, kept to be replayed before the store is read again. They
 * are kept per store key, latest last: invalidations of different keys commute, and for one key
 * only the latest matters, so a long outage costs one slot per distinct key. Past
 * {@code capacity} keys they collapse into one {@code collapse} action (such as a namespace bump)
 * that invalidates at least as much. Thread-safe; cheap to check when empty.
 */
public final class InvalidationBacklog {
  private final int capacity;
  private final Runnable collapse;
  private final Map<String, Runnable> pending = new LinkedHashMap<>();
  private volatile boolean empty = true;
  private boolean collapsed;

  public InvalidationBacklog(int capacity, Runnable collapse) {
    this.capacity = capacity;
    this.collapse = collapse;
  }

  /** Whether nothing is waiting; a volatile read. */
  public boolean isEmpty() {
    return empty;
  }

  /** Number of invalidations waiting ({@code capacity} once collapsed). */
  public synchronized int size() {
    return collapsed ? capacity : pending.size();
  }

  /** Keeps {@code invalidation} of store key {@code key}, replacing an earlier one of that key. */
  public synchronized void add(String key, Runnable invalidation) {
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
  }

  /**
   * Replays everything waiting, in order.
   *
   * @throws RuntimeException the store's failure; what was not replayed stays
   */
  public synchronized void drain() {
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
  }
}
