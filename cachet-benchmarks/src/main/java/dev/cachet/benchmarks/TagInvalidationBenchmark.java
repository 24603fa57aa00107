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
 * {@code invalidateTags("t")} while {@code entries} entries carry tag {@code t}, and the first
 * read of an entry after it: {@code getIfPresent} (judged invalid, answers {@code null}) and
 * {@code get} (judged invalid, reloads and writes the entry back). Reads cycle through every
 * tagged entry. Invalidation bumps one version, so its cost must not grow with {@code entries}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed heap, so that the 1,000,000-entry trial is not measured while the heap grows.
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class TagInvalidationBenchmark {
  private static final int VALUE_BYTES = 100;

  @Param({"1000", "1000000"})
  int entries;

  private Cachet cachet;
  private CachePolicy policy;
  private String[] names;
  private int next;
  private final byte[] value = Fixtures.value(VALUE_BYTES, 1);
  private final CacheLoader<byte[]> loader = () -> value;

  @Setup(Level.Trial)
  public void fill() {
    cachet = Fixtures.memoryCachet(Fixtures.memoryStore(1L << 30));
    policy = CachePolicy.builder().ttl(Fixtures.TTL).tags("t").build();
    names = new String[entries];
    for (int i = 0; i < entries; i++) {
      names[i] = "item:" + i;
      cachet.put(names[i], value, Codecs.bytes(), policy);
    }
    for (String name : new String[] {names[0], names[entries - 1]}) {
      if (cachet.getIfPresent(name, Codecs.bytes()) == null) {
        throw new IllegalStateException("entry was not stored (store too small?): " + name);
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    cachet.close();
  }

  private String nextKey() {
    String key = names[next];
    next = next + 1 == names.length ? 0 : next + 1;
    return key;
  }

  @Benchmark
  public void invalidate() {
    cachet.invalidateTags("t");
  }

  @Benchmark
  public byte[] invalidateThenGetIfPresent() {
    cachet.invalidateTags("t");
    byte[] found = cachet.getIfPresent(nextKey(), Codecs.bytes());
    if (found != null) {
      throw new IllegalStateException("an invalidated entry was served");
    }
    return value;
  }

  @Benchmark
  public byte[] invalidateThenGet() {
    cachet.invalidateTags("t");
    return cachet.get(nextKey(), Codecs.bytes(), policy, loader);
  }
}
