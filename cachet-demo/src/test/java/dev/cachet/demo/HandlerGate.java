package dev.cachet.demo;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared by every demo instance of a test (one object registered in each context): counts the
 * runs of the gated handlers of {@link ClusterRoutes}, across instances, and holds each run until
 * the test releases it, so that a test can let every concurrent request reach the cache first.
 * Thread-safe.
 */
final class HandlerGate {
  private volatile Round round = new Round();

  /** One gated experiment: its runs and its release. */
  static final class Round {
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    /** Handler runs so far, on every instance. */
    int runs() {
      return runs.get();
    }

    /** Lets every held run, and every later one, finish. */
    void release() {
      released.countDown();
    }
  }

  /** Starts a new round; handlers then wait for its {@link Round#release()}. */
  Round arm() {
    Round r = new Round();
    round = r;
    return r;
  }

  /** Called by a gated handler: counts the run and waits (at most 20 s) for the release. */
  int pass() throws InterruptedException {
    Round r = round;
    int run = r.runs.incrementAndGet();
    if (!r.released.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released the gate");
    }
    return run;
  }
}
