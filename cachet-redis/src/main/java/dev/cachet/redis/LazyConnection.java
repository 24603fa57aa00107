package dev.cachet.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Lettuce connection opened on first use, by one caller at a time, that can be dropped so the
 * next use opens a new one. Callers that find another one opening fail at once rather than queue
 * behind a slow connect (the store turns that into a miss). Thread-safe.
 *
 * @param <C> the connection type (standalone or cluster)
 */
final class LazyConnection<C extends StatefulConnection<?, ?>> {
  private final ReentrantLock connecting = new ReentrantLock();
  private final Supplier<C> open;
  private final Supplier<String> target;
  private volatile @Nullable C connection;
  private volatile boolean closed;

  /**
   * @param open opens and prepares a connection; runs under the connect lock
   * @param target what is connected to, for the message of a caller that finds a connect running
   */
  LazyConnection(Supplier<C> open, Supplier<String> target) {
    this.open = open;
    this.target = target;
  }

  /** The connection if one is open or being reconnected by Lettuce; never connects. */
  @Nullable C current() {
    return connection;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The connection, opened now if there is none.
   *
   * @throws RedisConnectionException when another caller is connecting, or the connect fails
   * @throws IllegalStateException when closed
   */
  C get() {
    C c = connection;
    if (c != null) {
      return c;
    }
    if (closed) {
      throw new IllegalStateException("the Redis store is closed");
    }
    if (!connecting.tryLock()) {
      throw new RedisConnectionException("connecting to " + target.get() + " is in progress");
    }
    try {
      c = connection;
      if (c == null && !closed) {
        c = open.get();
        connection = c;
      }
      if (c == null) {
        throw new IllegalStateException("the Redis store is closed");
      }
      return c;
    } finally {
      connecting.unlock();
    }
  }

  /** As {@link Connector#dropConnection()}: closes the connection so the next use opens another. */
  void drop() {
    // Held by a caller making a new connection (so the stuck one is gone already) or by close:
    // either way there is nothing to drop, and a request thread must not wait out a connect.
    if (!connecting.tryLock()) {
      return;
    }
    try {
      C c = connection;
      connection = null;
      if (c != null) {
        c.closeAsync();
      }
    } finally {
      connecting.unlock();
    }
  }

  /** Closes the connection for good, waiting for a connect in progress. Idempotent. */
  void close() {
    closed = true;
    connecting.lock();
    try {
      C c = connection;
      connection = null;
      if (c != null) {
        c.close();
      }
    } finally {
      connecting.unlock();
    }
  }
}
