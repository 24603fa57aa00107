package dev.cachet.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Lettuce connection opened on first use, by one caller at a time, that can be dropped so the
 * next use opens a new one. Callers that find another one opening fail at once rather than queue
 * behind a slow connect (the store turns that into a miss). The connect runs on a thread of its
 * own: the caller that starts it waits for the whole of it the first time (a cold JVM's first
 * handshake takes longer than a command; each step is bounded by the connect timeout), and at
 * most the command timeout once a connection has been made before, so that reconnecting to a
 * server that accepts connections but does not answer (a frozen process) costs a request no more
 * than any command; the connect goes on, and a later caller finds the connection made.
 * Thread-safe.
 *
 * @param <C> the connection type (standalone or cluster)
 */
final class LazyConnection<C extends StatefulConnection<?, ?>> {
  private final Supplier<C> open;
  private final Supplier<String> target;
  private final long laterWaitNanos;
  private volatile @Nullable C connection;
  /** The connect under way, if any; guarded by {@code this}. */
  private @Nullable CompletableFuture<C> opening;
  private volatile boolean connectedBefore;
  private volatile boolean closed;

  /**
   * @param open opens and prepares a connection; runs on a connect thread, one at a time
   * @param target what is connected to, for the message of a caller that finds a connect running
   * @param laterWait how long a caller that makes a connection after the first waits for it
   */
  LazyConnection(Supplier<C> open, Supplier<String> target, Duration laterWait) {
    this.open = open;
    this.target = target;
    this.laterWaitNanos = laterWait.toNanos();
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
   * @throws RedisConnectionException when another caller is connecting, or the connect fails or
   *     takes longer than this caller waits
   * @throws IllegalStateException when closed
   */
  C get() {
    C c = connection;
    if (c != null) {
      return c;
    }
    CompletableFuture<C> mine;
    synchronized (this) {
      c = connection;
      if (c != null) {
        return c;
      }
      if (closed) {
        throw new IllegalStateException("the Redis store is closed");
      }
      if (opening != null) {
        throw new RedisConnectionException("connecting to " + target.get() + " is in progress");
      }
      mine = new CompletableFuture<>();
      opening = mine;
    }
    Thread connect = new Thread(() -> connect(mine), "cachet-redis-connect");
    connect.setDaemon(true);
    connect.start();
    try {
      return connectedBefore ? mine.get(laterWaitNanos, TimeUnit.NANOSECONDS) : mine.get();
    } catch (TimeoutException e) {
      throw new RedisConnectionException("connecting to " + target.get() + " takes longer than a command may");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisConnectionException("interrupted while connecting to " + target.get(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new RedisConnectionException("cannot connect to " + target.get(), cause);
    }
  }

  /** Opens a connection on this thread and publishes it, unless the store was closed meanwhile. */
  private void connect(CompletableFuture<C> result) {
    C c = null;
    Throwable failure = null;
    try {
      c = open.get();
    } catch (Throwable t) {
      failure = t;
    }
    boolean discard;
    synchronized (this) {
      opening = null;
      discard = c != null && closed;
      if (c != null && !closed) {
        connection = c;
        connectedBefore = true;
      }
      notifyAll();
    }
    if (discard) {
      c.closeAsync();
      result.completeExceptionally(new IllegalStateException("the Redis store is closed"));
    } else if (c != null) {
      result.complete(c);
    } else {
      result.completeExceptionally(failure);
    }
  }

  /** As {@link Connector#dropConnection()}: closes the connection so the next use opens another. */
  void drop() {
    C c;
    synchronized (this) {
      // While a caller makes a new connection the stuck one is gone already: nothing to drop.
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.closeAsync();
    }
  }

  /** Closes the connection for good, waiting for a connect in progress. Idempotent. */
  void close() {
    C c;
    synchronized (this) {
      closed = true;
      while (opening != null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
  }
}
