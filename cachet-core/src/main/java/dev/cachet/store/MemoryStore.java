package dev.cachet.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cachet.internal.GlobPattern;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The embedded store: entries live in this JVM's heap in a Caffeine cache bounded by total bytes.
 *
 * <p>Size eviction follows Caffeine's W-TinyLFU policy; each entry expires after the time to live
 * it was put with. Versions live in a second map (losing one is safe, see {@link CacheStore}),
 * bounded by bytes too: by default a quarter of {@link Builder#maximumBytes} more, so that tags
 * made by ever-new paths cannot fill the heap however small the entries are (a version costs
 * about {@value #VERSION_OVERHEAD_BYTES} bytes beyond its key's characters). Thread-safe.
 */
public final class MemoryStore implements CacheStore {
  /**
   * Heap bytes one entry costs beyond its key's characters and its value's bytes (Caffeine node,
   * String and array headers), as measured with JOL (docs/benchmarks.md).
   */
  static final int ENTRY_OVERHEAD_BYTES = 168;

  /**
   * Heap bytes one version costs beyond its key's characters (Caffeine node, String, its array and
   * the boxed stamp), as a soak test's class histogram counted them: about 185 bytes for a
   * 20-character key.
   */
  static final int VERSION_OVERHEAD_BYTES = 160;

  private final Cache<String, byte[]> entries;
  private final Policy.VarExpiration<String, byte[]> expiration;
  private final Cache<String, Long> versions;
  private final LongAdder evictions = new LongAdder();

  private MemoryStore(Builder builder) {
    Ticker ticker = tickerOf(builder.clock);
    this.entries =
        Caffeine.newBuilder()
            .ticker(ticker)
            .maximumWeight(builder.maximumBytes)
            .weigher((String key, byte[] value) -> weigh(key, value))
            .expireAfter(Expiry.<String, byte[]>writing((k, v) -> Duration.ofDays(365)))
            .evictionListener(
                (String k, byte[] v, RemovalCause cause) -> {
                  if (cause == RemovalCause.SIZE) {
                    evictions.increment();
                  }
                })
            .executor(builder.maintenance)
            .build();
    this.expiration = entries.policy().expireVariably().orElseThrow();
    Caffeine<Object, Object> versionBound = Caffeine.newBuilder().executor(builder.maintenance);
    this.versions = builder.versionsSet
        ? versionBound.maximumSize(builder.maximumVersions).build()
        : versionBound.maximumWeight(Math.max(builder.maximumBytes / 4, 64L * 1024))
            .weigher(MemoryStore::weighVersion).build();
  }

  /**
   * A builder with the defaults: 256 MiB of entries, versions within a quarter of that more, the
   * system clock.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A store with {@link #builder()}'s defaults. */
  public static MemoryStore create() {
    return builder().build();
  }

  private static Ticker tickerOf(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return Ticker.systemTicker();
    }
    return () -> clock.millis() * 1_000_000L;
  }

  private static int weighVersion(String key, Long version) {
    return key.length() + VERSION_OVERHEAD_BYTES;
  }

  private static int weigh(String key, byte[] value) {
    long weight = (long) value.length + key.length() + ENTRY_OVERHEAD_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, weight);
  }

  @Override
  public byte @Nullable [] get(String key) {
    return entries.getIfPresent(key);
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    expiration.put(key, value, ttl);
  }

  @Override
  public boolean delete(String key) {
    return entries.asMap().remove(key) != null;
  }

  @Override
  public long[] getVersions(List<String> keys) {
    long[] result = new long[keys.size()];
    for (int i = 0; i < result.length; i++) {
      Long v = versions.getIfPresent(keys.get(i));
      result[i] = v == null ? 0L : v;
    }
    return result;
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    versions.put(key, version);
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    Long existing = versions.asMap().putIfAbsent(key, version);
    return existing == null ? version : existing;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return EnumSet.of(StoreCapability.PATTERN_SCAN, StoreCapability.IN_PROCESS);
  }

  /**
   * Lists matching keys in lexicographic order; the cursor is the last key returned, so a page
   * is stable under concurrent writes (keys added behind the cursor are not revisited).
   */
  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    GlobPattern glob = GlobPattern.compile(pattern);
    int size = Math.max(1, count);
    // The smallest `size` matching keys after the cursor, kept in a max-heap: one pass over the
    // keys at O(log size) each, rather than sorting every key after the cursor on every page.
    PriorityQueue<String> smallest = new PriorityQueue<>(Math.min(size, 1024) + 1, Comparator.reverseOrder());
    boolean more = false;
    for (String key : entries.asMap().keySet()) {
      if ((cursor == null || key.compareTo(cursor) > 0) && glob.matches(key)) {
        smallest.add(key);
        if (smallest.size() > size) {
          smallest.poll();
          more = true;
        }
      }
    }
    List<String> page = new ArrayList<>(smallest);
    page.sort(null);
    return new ScanPage(page, more ? page.get(page.size() - 1) : null);
  }

  @Override
  public @Nullable Duration ttl(String key) {
    return expiration.getExpiresAfter(key).orElse(null);
  }

  @Override
  public long evictionCount() {
    return evictions.sum();
  }

  /** Number of entries held now (approximate while writes run). */
  public long size() {
    return entries.estimatedSize();
  }

  /**
   * Total weight of the entries held now, in bytes, counting every write that returned: pending
   * bookkeeping (which a {@link Builder#maintenanceExecutor} may not have run yet) is applied
   * first, on the calling thread.
   */
  public long weightedBytes() {
    entries.cleanUp();
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0L);
  }

  /** Drops everything, versions included. Used by tests and by {@code close()}. */
  public void invalidateAll() {
    entries.invalidateAll();
    versions.invalidateAll();
  }

  @Override
  public void close() {
    invalidateAll();
  }

  /** Builds a {@link MemoryStore}. Not thread-safe; each setter may be called once. */
  public static final class Builder {
    private long maximumBytes = 256L * 1024 * 1024;
    private long maximumVersions = 1_000_000;
    private Clock clock = Clock.systemUTC();
    private java.util.concurrent.Executor maintenance = Runnable::run;
    private boolean maintenanceSet;
    private boolean bytesSet;
    private boolean versionsSet;
    private boolean clockSet;

    private Builder() {}

    /** Bound on the total weight of keys, values and per-entry overhead, in bytes. */
    public Builder maximumBytes(long bytes) {
      if (bytesSet) {
        throw new IllegalStateException("maximumBytes was already set");
      }
      if (bytes <= 0) {
        throw new IllegalArgumentException("maximumBytes must be positive: " + bytes);
      }
      this.maximumBytes = bytes;
      bytesSet = true;
      return this;
    }

    /**
     * Bound on the number of tag and namespace versions kept, instead of the default bound of a
     * quarter of {@link #maximumBytes} by their weight.
     */
    public Builder maximumVersions(long count) {
      if (versionsSet) {
        throw new IllegalStateException("maximumVersions was already set");
      }
      if (count <= 0) {
        throw new IllegalArgumentException("maximumVersions must be positive: " + count);
      }
      this.maximumVersions = count;
      versionsSet = true;
      return this;
    }

    /** The clock entries expire by; tests pass a clock they advance. */
    public Builder clock(Clock clock) {
      if (clockSet) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      clockSet = true;
      return this;
    }

    /**
     * Where eviction and expiry bookkeeping runs. By default on the thread that wrote, before
     * the write returns (deterministic: the bound holds when {@code put} returns). A pool such
     * as {@link java.util.concurrent.ForkJoinPool#commonPool()} takes that work off request
     * threads and batches it across writes; the bound is then restored moments later.
     */
    public Builder maintenanceExecutor(java.util.concurrent.Executor executor) {
      if (maintenanceSet) {
        throw new IllegalStateException("maintenanceExecutor was already set");
      }
      this.maintenance = Objects.requireNonNull(executor, "executor");
      maintenanceSet = true;
      return this;
    }

    public MemoryStore build() {
      return new MemoryStore(this);
    }
  }
}
