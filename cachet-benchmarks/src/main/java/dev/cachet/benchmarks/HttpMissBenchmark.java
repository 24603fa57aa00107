package dev.cachet.benchmarks;

import dev.cachet.Cachet;
import dev.cachet.http.BodyCapture;
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
 * The framework-free cost of an HTTP miss: {@code HttpCache.handleRead} with a distinct query each
 * time (as the HTTP load benchmark's {@code cachet-miss} runs), a handler that writes its body in
 * 8,000-byte pieces (as Jackson's buffer does) into the capture, the entry stored in a 256 MiB
 * memory store (full, so every store evicts), then the response written to a null stream.
 * {@link #uncached} is the same handler writing straight to the null stream: the difference is
 * what Cachet adds to a miss, without the handler's own work (serializing) or any sockets.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class HttpMissBenchmark {
  private static final int PIECE = 8000;

  @Param({"51336"})
  int bodyBytes;

  private Cachet cachet;
  private HttpCache http;
  private RoutePolicy route;
  private byte[] body;
  private long counter;
  private final OutputStream sink = OutputStream.nullOutputStream();
  private final HttpHeaders headers = HttpHeaders.of("Content-Type", "application/json");

  @Setup(Level.Trial)
  public void prime() throws Exception {
    cachet = Fixtures.memoryCachet(Fixtures.memoryStore(256L * 1024 * 1024));
    http = HttpCache.builder(cachet).build();
    route = RoutePolicy.builder().ttl(Duration.ofHours(1)).build();
    body = Fixtures.value(bodyBytes, 1);
    if (miss().xCache() != XCache.MISS) {
      throw new IllegalStateException("not a miss");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    cachet.close();
  }

  private final Origin handler = forward -> {
    BodyCapture out = forward.newBodyCapture(added -> sink);
    writeBody(out);
    return OriginResponse.of(200, headers, out);
  };

  private void writeBody(OutputStream out) throws IOException {
    for (int at = 0; at < body.length; at += PIECE) {
      out.write(body, at, Math.min(PIECE, body.length - at));
    }
  }

  @Benchmark
  public HttpCacheResult miss() throws Exception {
    HttpRequestView request = HttpRequestView.builder("GET", "/cachet-miss").rawQuery("r=run-1-" + counter++)
        .header("Host", "127.0.0.1:8080").header("Accept", "*/*").build();
    HttpCacheResult result = http.handleRead(request, route, handler);
    result.headers().forEach((name, values) -> sink.hashCode());
    result.writeBodyTo(sink);
    return result;
  }

  @Benchmark
  public long uncached() throws Exception {
    HttpRequestView request = HttpRequestView.builder("GET", "/cachet-miss").rawQuery("r=run-1-" + counter++)
        .header("Host", "127.0.0.1:8080").header("Accept", "*/*").build();
    headers.forEach((name, values) -> sink.hashCode());
    writeBody(sink);
    return request.hashCode();
  }
}
