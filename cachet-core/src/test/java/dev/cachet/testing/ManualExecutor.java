package dev.cachet.testing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Collects tasks and runs them when the test says so; thread-safe. */
public final class ManualExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  public synchronized int pending() {
    return tasks.size();
  }

  /** Runs every queued task (and those they queue) on the calling thread; returns how many. */
  public int runAll() {
    int ran = 0;
    Runnable next;
    while ((next = poll()) != null) {
      next.run();
      ran++;
    }
    return ran;
  }

  private synchronized Runnable poll() {
    return tasks.poll();
  }
}
