package dev.cachet.benchmarks;

import dev.cachet.CacheLoader;
import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.SplittableRandom;

/** What the benchmarks share: caches, policies and values built the same way everywhere. */
final class Fixtures {
  /** Long enough that no entry expires during a run. */
  static final Duration TTL = Duration.ofHours(1);

  private Fixtures() {}

  /** A cache with the builder's defaults over {@code store}. */
  static Cachet memoryCachet(MemoryStore store) {
    return Cachet.builder().store(store).build();
  }

  /** A memory store bounded at {@code maximumBytes} of keys, values and entry overhead. */
  static MemoryStore memoryStore(long maximumBytes) {
    return MemoryStore.builder().maximumBytes(maximumBytes).build();
  }

  /** A TTL-only policy carrying {@code tagCount} tags ({@code tenant:7}, {@code user:42}, ...). */
  static CachePolicy policy(int tagCount) {
    CachePolicy.Builder builder = CachePolicy.builder().ttl(TTL);
    String[] names = {"tenant:7", "user:42", "region:eu"};
    if (tagCount < 0 || tagCount > names.length) {
      throw new IllegalArgumentException("tagCount must be in [0, " + names.length + "]");
    }
    for (int i = 0; i < tagCount; i++) {
      builder.tags(names[i]);
    }
    return builder.build();
  }

  /** Deterministic pseudo-random bytes, so that runs are comparable. */
  static byte[] value(int size, long seed) {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** A loader for benchmarks that must only hit: a call means the benchmark measures a miss. */
  static <V> CacheLoader<V> failingLoader() {
    return () -> {
      throw new IllegalStateException("loader called: the benchmark was meant to hit");
    };
  }
}
