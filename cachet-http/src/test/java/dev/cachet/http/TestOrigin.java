package dev.cachet.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A handler for tests: answers with the status, headers and body it is set to, written through
 * the {@link Forward}'s capture in chunks, as a framework would; counts its runs. Each response
 * carries the run number in {@code X-Run} so that tests can tell a replay from a fresh run.
 */
final class TestOrigin implements Origin {
  private final AtomicInteger runs = new AtomicInteger();
  volatile int status = 200;
  volatile HttpHeaders headers = HttpHeaders.of("Content-Type", "application/json");
  volatile String body = "{\"n\":1}";
  volatile int chunk = 7;
  volatile boolean stream;
  volatile @Nullable RuntimeException failure;
  volatile @Nullable Forward lastForward;
  final Client client = new Client();

  @Override
  public OriginResponse proceed(Forward forward) throws Exception {
    int run = runs.incrementAndGet();
    lastForward = forward;
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    BodyCapture capture = forward.newBodyCapture(client);
    if (stream) {
      capture.passThrough();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int off = 0; off < bytes.length; off += chunk) {
      capture.write(bytes, off, Math.min(chunk, bytes.length - off));
    }
    HttpHeaders h = headers.toBuilder().set("X-Run", Integer.toString(run)).build();
    return OriginResponse.of(status, h, capture);
  }

  int runs() {
    return runs.get();
  }
}
