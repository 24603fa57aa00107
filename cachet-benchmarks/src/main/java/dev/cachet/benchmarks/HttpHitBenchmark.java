package dev.cachet.benchmarks;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheResult;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.HttpRequestView;
import dev.cachet.http.Origin;
import dev.cachet.http.OriginResponse;
import dev.cachet.http.RoutePolicy;
import dev.cachet.http.XCache;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
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
 * The framework-free cost of an HTTP hit: {@code HttpCache.handleRead} on a present entry of the
 * memory store, then its headers walked and its body written to a null stream, as an adapter
 * does. No servlet container, no sockets: what Cachet itself adds to a hit.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HttpHitBenchmark {
  @Param({"1142", "51336"})
  int bodyBytes;

  private Cachet cachet;
  private HttpCache http;
  private RoutePolicy route;
  private HttpRequestView request;
  private final Origin mustNotRun = forward -> {
    throw new IllegalStateException("the handler ran on a hit");
  };
  private final OutputStream sink = OutputStream.nullOutputStream();

  @Setup(Level.Trial)
  public void prime() throws Exception {
    cachet = Fixtures.memoryCachet(Fixtures.memoryStore(256L * 1024 * 1024));
    http = HttpCache.builder(cachet).build();
    route = RoutePolicy.builder().ttl(Duration.ofHours(1)).build();
    request = HttpRequestView.builder("GET", "/catalog/products")
        .header("Host", "127.0.0.1:8080").header("Accept", "*/*").build();
    byte[] body = Fixtures.value(bodyBytes, 1);
    HttpCacheResult miss = http.handleRead(request, route, forward -> OriginResponse.of(
        200, HttpHeaders.of("Content-Type", "application/json"), body));
    if (miss.xCache() != XCache.MISS || hit().xCache() != XCache.HIT) {
      throw new IllegalStateException("the entry was not stored");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    cachet.close();
  }

  @Benchmark
  public HttpCacheResult hit() throws Exception {
    HttpCacheResult result = http.handleRead(request, route, mustNotRun);
    result.headers().forEach((name, values) -> sink.hashCode());
    write(result);
    return result;
  }

  private void write(HttpCacheResult result) throws IOException {
    result.writeBodyTo(sink);
  }
}
