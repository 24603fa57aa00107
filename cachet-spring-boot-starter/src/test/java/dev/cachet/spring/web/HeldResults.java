package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The results of asynchronous handlers, which the test completes itself on its own thread: a
 * handler takes a future ({@link #next}), the test waits until one is handed out
 * ({@link #awaitHandedOut}) and completes it when it chooses, so that no test waits for time.
 * Thread-safe.
 */
final class HeldResults {
  private final BlockingQueue<CompletableFuture<Object>> handedOut = new LinkedBlockingQueue<>();

  /** A new result for a handler to return or wait on; the test completes it. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> next() {
    CompletableFuture<Object> result = new CompletableFuture<>();
    handedOut.add(result);
    return (CompletableFuture<T>) (CompletableFuture<?>) result;
  }

  /** The oldest result a handler took and the test has not taken yet; waits 10 s at most. */
  CompletableFuture<Object> awaitHandedOut() throws InterruptedException {
    CompletableFuture<Object> result = handedOut.poll(10, TimeUnit.SECONDS);
    assertThat(result).as("a handler took a result").isNotNull();
    return result;
  }

  /**
   * Forgets the results handed out and not taken (a failed test's): the next test waits for its
   * own handler's.
   */
  void forgetHandedOut() {
    handedOut.clear();
  }

  /** Whether no handler took a result the test has not taken. */
  boolean noneHandedOut() {
    return handedOut.isEmpty();
  }
}
