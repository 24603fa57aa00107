package dev.cachet.internal;

import dev.cachet.Codec;
import dev.cachet.store.StoreCapability;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Cross-process single-flight: a store lock per key, taken by the one process that loads while
 * the others poll the store for its result, for at most {@code maxWait}, and then load anyway (a
 * slow or dead holder never blocks them longer). The lock's lease is {@code maxWait}, so a
 * holder that dies frees it by itself. Thread-safe.
 */
final class StoreLock {
  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final FailSafeStore store;
  private final EntryReader reader;
  private final Clock clock;
  private final Duration lease;

  StoreLock(FailSafeStore store, EntryReader reader, Clock clock, Duration maxWait) {
    this.store = store;
    this.reader = reader;
    this.clock = clock;
    this.lease = maxWait;
  }

  record Held(String lockKey, String token) {}

  /** Either a fresh entry another process wrote, or the lock (or neither: load without it). */
  record Acquired<V>(EntryReader.@Nullable Servable<V> found, @Nullable Held held) {}

  /**
   * Takes the lock, or finds the entry another process wrote meanwhile: a fresh entry created
   * after {@code newerThan} (a refresh passes its own entry's creation time, which is fresh
   * itself, so only another process's refresh is taken instead of loading). The entry is read as
   * a hit is, for {@code tags}: an answer from a local copy that lags behind the holder's write
   * is confirmed with the store itself ({@link EntryReader#read(String, String, Codec, long, Set)}).
   */
  <V> Acquired<V> acquire(
      String lockKey, String storeKey, String key, Codec<V> codec, Set<String> tags,
      long newerThan) {
    if (!store.has(StoreCapability.DISTRIBUTED_LOCK)) {
      return new Acquired<>(null, null);
    }
    String token = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + lease.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      Boolean locked =
          store.call("lock", () -> store.delegate().tryLock(lockKey, token, lease), null);
      if (locked == null) {
        return new Acquired<>(null, null);
      }
      // Re-check after every attempt: the holder may have written the entry meanwhile.
      EntryReader.Servable<V> found = reader.read(storeKey, key, codec, clock.millis(), tags, true);
      boolean fresh = found != null && found.fresh() && found.entry().createdAt() > newerThan;
      if (locked) {
        Held held = new Held(lockKey, token);
        if (fresh) {
          release(held);
          return new Acquired<>(found, null);
        }
        return new Acquired<>(null, held);
      }
      if (fresh) {
        return new Acquired<>(found, null);
      }
      if (System.nanoTime() - deadline >= 0) {
        return new Acquired<>(null, null);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Acquired<>(null, null);
      }
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  void release(Held held) {
    store.call("unlock", () -> {
      store.delegate().unlock(held.lockKey(), held.token());
      return null;
    }, null);
  }
}
