package dev.cachet.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The incarnation of the server one connection talks to: its {@code run_id} ({@code INFO
 * server}), which a restart or a failover to another server changes. A connection made again is
 * of an unknown incarnation until the server has been asked, so that nothing it answers is
 * trusted as the old server's; the question is asked as soon as it is connected, and again by a
 * read that finds it unanswered. A server that refuses {@code INFO} (an ACL without it) has
 * incarnation {@code 0}: it cannot be told, and is logged once. Thread-safe.
 */
final class ServerIncarnation implements RedisConnectionStateListener {
  private static final System.Logger LOG = System.getLogger("dev.cachet");

  private final Await await;
  private final Duration timeout;
  private final Runnable onLearned;
  private final AtomicBoolean asking = new AtomicBoolean();
  private volatile @Nullable StatefulRedisConnection<String, byte[]> connection;
  private volatile long runId;
  private volatile boolean known;
  private volatile boolean refusalLogged;

  /**
   * @param timeout bounds a question asked without waiting, as {@code await} bounds the others
   * @param onLearned runs after each answer, once {@link #current()} gives it
   */
  ServerIncarnation(Await await, Duration timeout, Runnable onLearned) {
    this.await = await;
    this.timeout = timeout;
    this.onLearned = onLearned;
  }

  /**
   * Follows {@code c} from now on: asks its server now, waiting at most the command timeout, and
   * after each reconnect. Call before any other command is sent on it.
   *
   * @throws io.lettuce.core.RedisException when the server does not answer
   */
  void attach(StatefulRedisConnection<String, byte[]> c) {
    known = false;
    connection = c;
    c.addListener(this);
    String info;
    try {
      info = await.result(c.async().info("server"));
    } catch (RedisCommandExecutionException e) {
      learned(null, e);
      if (known) {
        return; // refused: logged, and 0 from now on
      }
      throw e;
    }
    learned(info, null);
  }

  /** The last run id learned, as a non-zero number; {@code 0} before any, or when refused. */
  long current() {
    return runId;
  }

  /**
   * The incarnation replies come from now. A connection that is down answers nothing, so its
   * last run id stands until it is up again; up again, it is unknown until its server answered.
   *
   * @throws RedisConnectionException while the connection is up and its server's run id not
   *     known (a connection made again); the question is asked again if none is on its way
   */
  long readable() {
    if (!known) {
      StatefulRedisConnection<String, byte[]> c = connection;
      if (c != null && c.isOpen()) {
        ask();
        throw new RedisConnectionException("reconnected to Redis; the server's run_id is not known"
            + " yet, so nothing it answers is trusted");
      }
    }
    return runId;
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
    if (c == connection) { // not a connection dropped and replaced already
      known = false;
    }
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
    if (c == connection) {
      known = false;
      ask();
    }
  }

  private void ask() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c == null || !c.isOpen() || !asking.compareAndSet(false, true)) {
      return;
    }
    try {
      // Bounded: a question that is never answered would keep the next ones from being asked.
      c.async().info("server").toCompletableFuture()
          .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((info, error) -> {
        asking.set(false);
        learned(info, error);
      });
    } catch (RuntimeException e) {
      asking.set(false); // rejected at once (disconnected): the next read asks again
    }
  }

  private void learned(@Nullable String info, @Nullable Throwable error) {
    if (error != null) {
      String message = String.valueOf(error.getMessage());
      if (message.startsWith("NOPERM")) {
        if (!refusalLogged) {
          refusalLogged = true;
          LOG.log(System.Logger.Level.WARNING, "Cachet Redis store: INFO is not permitted ("
              + message + "), so a Redis restarted from a snapshot, or a failover, cannot be"
              + " detected; allow INFO to the store's user");
        }
        runId = 0;
        known = true;
        onLearned.run();
      }
      return; // otherwise still unknown: asked again by the next read
    }
    runId = runIdOf(String.valueOf(info));
    known = true;
    onLearned.run();
  }

  /**
   * The {@code run_id} of an {@code INFO server} reply as a non-zero number: its first 16
   * hexadecimal digits (a run id is 40 random ones).
   *
   * @throws IllegalStateException when the reply has none
   */
  static long runIdOf(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        String hex = line.substring("run_id:".length()).trim();
        try {
          long id = Long.parseUnsignedLong(hex.substring(0, Math.min(16, hex.length())), 16);
          return id == 0 ? 1 : id;
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IllegalStateException("INFO server without a run_id: " + info);
  }
}
