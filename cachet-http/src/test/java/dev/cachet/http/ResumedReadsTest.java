package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testing.ManualExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpCache#handleReadAsync(HttpRequestView, RoutePolicy, Origin, java.util.concurrent.Executor)}:
 * a miss that joins a load whose handler answers later does not wait on its thread; it is
 * answered from that load's response when it arrives, and its own handler runs only from a task
 * given to its executor, never on the thread that completed the load it waited for.
 */
class ResumedReadsTest extends HttpCacheFixture {
  private final RoutePolicy route = RoutePolicy.builder().ttl(Duration.ofMinutes(5))
      .staleIfError(Duration.ofMinutes(1)).build();

  /**
   * Answers later whenever its forward accepts it (the test completes each answer), at once
   * otherwise; counts its runs and remembers the thread of each.
   */
  private static final class Handler implements Origin {
    final AtomicInteger runs = new AtomicInteger();
    final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
    final BlockingQueue<Later> pending = new LinkedBlockingQueue<>();

    record Later(Forward forward, CompletableFuture<OriginResponse> answer) {
      void answer(int status, String body, String... headers) throws IOException {
        BodyCapture capture = forward.newBodyCapture(new Client());
        capture.write(body.getBytes(StandardCharsets.UTF_8));
        answer.complete(OriginResponse.of(status, HttpHeaders.of(headers), capture));
      }
    }

    @Override
    public OriginResponse proceed(Forward forward) throws IOException {
      runs.incrementAndGet();
      threads.add(Thread.currentThread());
      if (forward.acceptsLater()) {
        CompletableFuture<OriginResponse> answer = new CompletableFuture<>();
        pending.add(new Later(forward, answer));
        return OriginResponse.later(answer);
      }
      BodyCapture capture = forward.newBodyCapture(new Client());
      capture.write("alone".getBytes(StandardCharsets.UTF_8));
      return OriginResponse.of(200, HttpHeaders.of("Content-Type", "text/plain"), capture);
    }

    Later next() throws InterruptedException {
      Later later = pending.poll(10, TimeUnit.SECONDS);
      assertThat(later).as("the handler ran").isNotNull();
      return later;
    }
  }

  private final Handler handler = new Handler();

  @Test
  void aMissJoiningALaterLoadIsAnsweredFromItWithoutWaitingOnItsThread() throws Exception {
    CompletableFuture<HttpCacheResult> first = http.handleReadAsync(get("/a"), route, handler);
    Handler.Later leading = handler.next();
    ManualExecutor resume = new ManualExecutor();

    CompletableFuture<HttpCacheResult> joined = http.handleReadAsync(get("/a"), route, handler, resume);
    assertThat(joined).as("returned before the load it joined completed").isNotDone();

    leading.answer(200, "shared", "Content-Type", "text/plain");
    HttpCacheResult answer = joined.get(10, TimeUnit.SECONDS);
    assertThat(text(answer)).isEqualTo("shared");
    assertThat(answer.xCache()).isEqualTo(XCache.MISS);
    assertThat(answer.cacheStatus()).contains("collapsed");
    assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("shared");
    assertThat(handler.runs).hasValue(1);
    assertThat(resume.pending()).isZero();
  }

  @Test
  void aMissWhoseJoinedLoadAnswered5xxRunsItsOwnHandlerOnlyWhereItIsResumed() throws Exception {
    http.handleReadAsync(get("/a"), route, handler);
    Handler.Later leading = handler.next();
    handler.threads.clear();
    ManualExecutor resume = new ManualExecutor();
    CompletableFuture<HttpCacheResult> joined = http.handleReadAsync(get("/a"), route, handler, resume);

    leading.answer(503, "down"); // not stored, not shared
    assertThat(handler.runs).as("not on the thread that completed the load").hasValue(1);
    assertThat(joined).isNotDone();
    assertThat(resume.runAll()).isEqualTo(1);
    assertThat(handler.threads.poll()).isSameAs(Thread.currentThread());
    HttpCacheResult own = joined.get(10, TimeUnit.SECONDS);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.cacheStatus()).contains("detail=status");
    assertThat(handler.runs).hasValue(2);
  }

  @Test
  void aMissWhoseJoinedLoadWasPrivateLoadsAloneWhereItIsResumed() throws Exception {
    http.handleReadAsync(get("/a"), route, handler);
    Handler.Later leading = handler.next();
    ManualExecutor resume = new ManualExecutor();
    CompletableFuture<HttpCacheResult> joined = http.handleReadAsync(get("/a"), route, handler, resume);

    leading.answer(200, "yours", "Set-Cookie", "session=1");
    assertThat(handler.runs).hasValue(1);
    assertThat(resume.runAll()).isEqualTo(1);
    Handler.Later own = handler.next(); // its own run answers later too, as a miss does
    assertThat(joined).isNotDone();
    own.answer(200, "mine", "Content-Type", "text/plain");
    assertThat(text(joined.get(10, TimeUnit.SECONDS))).isEqualTo("mine");
    assertThat(handler.runs).hasValue(2);
  }
}
