package dev.cachet.benchmarks;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.internal.Envelope;
import dev.cachet.internal.FailSafeStore;
import dev.cachet.internal.KeyMapper;
import dev.cachet.internal.RateLimitedLog;
import dev.cachet.internal.StatsCounter;
import dev.cachet.internal.VersionGuard;
import dev.cachet.store.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steps of one memory-store hit timed apart, to tell where {@link HitBenchmark}'s time goes:
 * building the store key, the store lookup, the envelope's checksum and decoding, and the version
 * check. Uses the core's internal classes, so it follows their signatures.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HitBreakdownBenchmark {
  private static final String KEY = "user:0:profile";

  @Param({"0", "2"})
  int tags;

  private MemoryStore store;
  private Cachet cachet;
  private KeyMapper keys;
  private VersionGuard guard;
  private String storeKey;
  private byte[] stored;
  private Envelope envelope;
  private List<String> versionKeys;

  @Setup(Level.Trial)
  public void fill() {
    store = Fixtures.memoryStore(256L * 1024 * 1024);
    cachet = Fixtures.memoryCachet(store);
    CachePolicy policy = Fixtures.policy(tags);
    cachet.put(KEY, Fixtures.value(HitBenchmark.VALUE_BYTES, 0), Codecs.bytes(), policy);
    keys = new KeyMapper("cachet");
    storeKey = keys.entryKey(KEY);
    RateLimitedLog log = new RateLimitedLog(Clock.systemUTC(), Duration.ofMinutes(1));
    FailSafeStore failSafe =
        new FailSafeStore(
            store, new StatsCounter(() -> 0, java.time.Clock.systemUTC()), log, keys.namespaceVersionKey(), keys.incarnationKey(),
            Duration.ofDays(1));
    guard = new VersionGuard(failSafe, keys, java.time.Clock.systemUTC(), java.time.Duration.ofDays(30));
    stored = store.get(storeKey);
    envelope = stored == null ? null : Envelope.decode(stored, storeKey, true);
    versionKeys = versionKeys();
    if (envelope == null || guard.judge(envelope) == null) {
      throw new IllegalStateException("the entry was not stored fresh");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    cachet.close();
  }

  /** What sampling itself costs: read this as the floor of every other figure. */
  @Benchmark
  public byte[] baseline() {
    return stored;
  }

  @Benchmark
  public String entryKey() {
    return keys.entryKey(KEY);
  }

  @Benchmark
  public byte[] storeGet() {
    return store.get(storeKey);
  }

  @Benchmark
  public long crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(stored, 0, stored.length - 4);
    return crc.getValue();
  }

  @Benchmark
  public Envelope envelopeDecode() {
    return Envelope.decode(stored, storeKey, true);
  }

  /** The first half of {@code judge}: the version keys, built as it builds them. */
  @Benchmark
  public List<String> versionKeys() {
    List<String> list = new ArrayList<>(1 + 2 * envelope.tagNames().size());
    list.add(keys.namespaceVersionKey());
    for (String tag : envelope.tagNames()) {
      list.add(keys.hardVersionKeyOfEncoded(tag));
      list.add(keys.softVersionKeyOfEncoded(tag));
    }
    return list;
  }

  /** The second half of {@code judge}: looking the versions up. */
  @Benchmark
  public long[] getVersions() {
    return store.getVersions(versionKeys);
  }

  @Benchmark
  public VersionGuard.Timeline judge() {
    return guard.judge(envelope);
  }

  @Benchmark
  public byte[] getIfPresent() {
    return cachet.getIfPresent(KEY, Codecs.bytes());
  }
}
