package dev.cachet.benchmarks;

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
 * {@code put} of a 300-byte value on the memory store, replacing entries of a fixed set of 10,000
 * keys so that the store's size stays constant while it runs.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PutBenchmark {
  private static final int KEYS = 10_000;

  @Param({"0", "2"})
  int tags;

  private Cachet cachet;
  private CachePolicy policy;
  private final String[] names = new String[KEYS];
  private final byte[] value = Fixtures.value(HitBenchmark.VALUE_BYTES, 1);
  private int next;

  @Setup(Level.Trial)
  public void open() {
    cachet = Fixtures.memoryCachet(Fixtures.memoryStore(256L * 1024 * 1024));
    policy = Fixtures.policy(tags);
    for (int i = 0; i < KEYS; i++) {
      names[i] = "user:" + i + ":profile";
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    boolean stored = cachet.getIfPresent(names[0], Codecs.bytes()) != null;
    cachet.close();
    if (!stored) {
      throw new IllegalStateException("put stored nothing");
    }
  }

  @Benchmark
  public void put() {
    String key = names[next];
    next = next + 1 == KEYS ? 0 : next + 1;
    cachet.put(key, value, Codecs.bytes(), policy);
  }
}
