package dev.cachet.benchmarks;

import dev.cachet.CacheLoader;
import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import java.util.concurrent.TimeUnit;
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
 * A fresh hit on the memory store: {@code get} with a loader that must not run, and
 * {@code getIfPresent}. {@code keys} is how many distinct present keys the reads cycle through
 * (1: one hot key; 10,000: the CPU caches no longer hold every entry).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HitBenchmark {
  static final int VALUE_BYTES = 300;

  @Param({"0", "1", "2"})
  int tags;

  @Param({"1", "10000"})
  int keys;

  private Cachet cachet;
  private CachePolicy policy;
  private String[] names;
  private int next;
  private final CacheLoader<byte[]> loader = Fixtures.failingLoader();

  @Setup(Level.Trial)
  public void fill() {
    cachet = Fixtures.memoryCachet(Fixtures.memoryStore(256L * 1024 * 1024));
    policy = Fixtures.policy(tags);
    names = new String[keys];
    for (int i = 0; i < keys; i++) {
      names[i] = "user:" + i + ":profile";
      cachet.put(names[i], Fixtures.value(VALUE_BYTES, i), Codecs.bytes(), policy);
      if (cachet.getIfPresent(names[i], Codecs.bytes()) == null) {
        throw new IllegalStateException("entry was not stored: " + names[i]);
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    long misses = cachet.stats().misses();
    cachet.close();
    if (misses != 0) {
      throw new IllegalStateException(misses + " misses in a hit benchmark");
    }
  }

  private String nextKey() {
    String key = names[next];
    next = next + 1 == names.length ? 0 : next + 1;
    return key;
  }

  @Benchmark
  public byte[] get() {
    return cachet.get(nextKey(), Codecs.bytes(), policy, loader);
  }

  @Benchmark
  public byte[] getIfPresent() {
    return cachet.getIfPresent(nextKey(), Codecs.bytes());
  }
}
