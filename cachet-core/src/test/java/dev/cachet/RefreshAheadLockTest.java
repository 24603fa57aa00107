package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.StoreCapability;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Refresh-ahead with the distributed lock on: the refresh loads, unless another one did. */
class RefreshAheadLockTest {
  private final MutableClock clock = new MutableClock();
  private final CachePolicy policy = CachePolicy.builder()
      .ttl(Duration.ofSeconds(10)).refreshAhead(0.5).distributedLock(true).build();

  /** A memory store with locks, as Redis and Memcached have; runs {@link #onLock} when locking. */
  static final class Locking extends ForwardingStore {
    final ConcurrentHashMap<String, String> locks = new ConcurrentHashMap<>();
    final AtomicInteger lockCalls = new AtomicInteger();
    volatile @Nullable Runnable onLock;

    Locking(MutableClock clock) {
      super(MemoryStore.builder().clock(clock).build());
    }

    @Override
    public Set<StoreCapability> capabilities() {
      return EnumSet.of(StoreCapability.IN_PROCESS, StoreCapability.DISTRIBUTED_LOCK,
          StoreCapability.PATTERN_SCAN);
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
      lockCalls.incrementAndGet();
      Runnable hook = onLock;
      if (hook != null) {
        onLock = null;
        hook.run();
      }
      return locks.putIfAbsent(key, token) == null;
    }

    @Override
    public void unlock(String key, String token) {
      locks.remove(key, token);
    }
  }

  @Test
  void aRefreshAheadUnderTheLockRunsTheLoaderOnce() {
    Locking store = new Locking(clock);
    try (Cachet cachet = Cachet.builder().store(store).clock(clock).refreshExecutor(Runnable::run).build()) {
      AtomicInteger loads = new AtomicInteger();
      cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      clock.advance(Duration.ofSeconds(6)); // past refreshAt (5 s), still fresh
      for (int i = 0; i < 5; i++) {
        cachet.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      }
      assertThat(loads).hasValue(2);
      assertThat(store.lockCalls).as("one lock for the miss, one for the refresh").hasValue(2);
      assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "unused")).isEqualTo("v2");
    }
  }

  @Test
  void aRefreshTakesTheEntryAnotherInstanceRefreshedMeanwhile() {
    Locking store = new Locking(clock);
    try (Cachet here = Cachet.builder().store(store).clock(clock).refreshExecutor(Runnable::run).build();
        Cachet there = Cachet.builder().store(store).clock(clock).build()) {
      AtomicInteger loads = new AtomicInteger();
      here.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      clock.advance(Duration.ofSeconds(6));
      // The other instance writes its refreshed value just before this one gets the lock.
      store.onLock = () -> there.put("k", "there", Codecs.utf8(), policy);
      here.get("k", Codecs.utf8(), policy, () -> "v" + loads.incrementAndGet());
      assertThat(loads).hasValue(1);
      assertThat(here.get("k", Codecs.utf8(), policy, () -> "unused")).isEqualTo("there");
    }
  }
}
