package dev.cachet.testing;

/**
 * A test server that runs in a {@link LocalServerProcess} (a {@code redis-server}, a {@code
 * memcached}): what every such server can do, done by its process. An implementation adds how to
 * start it and how to talk to it.
 */
public interface LocalServer extends AutoCloseable {
  /** The server's process. */
  LocalServerProcess process();

  /** Its loopback port. */
  default int port() {
    return process().port();
  }

  default boolean isAlive() {
    return process().isAlive();
  }

  /** Kills the server at once (SIGKILL, as a crash) and waits until it is gone. */
  default void kill() {
    process().kill();
  }

  /** Starts the server again on the same port, empty; returns once it answers. */
  default void restart() {
    process().restart();
  }

  /** Freezes the server (SIGSTOP): its connections stay open, nothing is answered. */
  default void pause() {
    process().pause();
  }

  /** Resumes a frozen server (SIGCONT): what was sent meanwhile is answered, in order. */
  default void resume() {
    process().resume();
  }

  /** Stops the server, a frozen one too, and deletes its directory. */
  @Override
  default void close() {
    process().close();
  }
}
