package dev.cachet.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tracking state of one connection that carries near-cached reads (the standalone command
 * connection, or one cluster node connection): whether {@code CLIENT TRACKING on BCAST}, with
 * every key prefix the near cache knows, is acknowledged on its current session, and when it
 * last answered. A session ends when the connection is lost:
 * the server forgets what it tracked for it, so an acknowledgement or a reply sent in an earlier
 * session proves nothing.
 *
 * <p>Thread-safe; callbacks run on Lettuce's event loop and never block.
 */
final class TrackedConnection {
  /**
   * What renews the lease: a command sent on the connection whose reply, {@code true}, proves the
   * connection current (every invalidation queued before it has arrived) and the copy still valid.
   */
  @FunctionalInterface
  interface Probe {
    CompletionStage<Boolean> send(StatefulRedisConnection<String, ?> connection);
  }

  /** A {@code PING}: the standalone probe, and its acknowledged tracking renews the lease too. */
  static final Probe PING = c -> c.async().ping().thenApply(pong -> true);

  private static final long INVALID_PROBE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final StatefulRedisConnection<String, ?> connection;
  private final Probe probe;
  private final NearCache owner;
  private final Ticker ticker;
  private final long leaseNanos;
  private final AtomicLong session = new AtomicLong();
  /** Starts, and restarts with each session, a lease in the past: never verified in it. */
  private final AtomicLong verifiedAt;
  private final AtomicBoolean enabling = new AtomicBoolean();
  private final AtomicBoolean pinging = new AtomicBoolean();
  /** Real time before which a probe is not sent again after one found the copy invalid. */
  private volatile long nextProbe = System.nanoTime();
  private volatile long retryEnableAt;
  private volatile boolean tracking;
  private volatile boolean connected = true;

  TrackedConnection(
      StatefulRedisConnection<String, ?> connection, Probe probe, NearCache owner, Ticker ticker, long leaseNanos) {
    this.connection = connection;
    this.probe = probe;
    this.owner = owner;
    this.ticker = ticker;
    this.leaseNanos = leaseNanos;
    this.retryEnableAt = ticker.read();
    this.verifiedAt = new AtomicLong(retryEnableAt - leaseNanos);
  }

  StatefulRedisConnection<String, ?> connection() {
    return connection;
  }

  /** Whether tracking is acknowledged in the current session. */
  boolean tracking() {
    return tracking;
  }

  /**
   * Whether the connection is up, as far as its connect and disconnect events tell (a standalone
   * connection is always taken to be: its near cache waits for tracking on it either way).
   */
  boolean connected() {
    return connected;
  }

  /** When the connection last answered a command sent in the current session (ticker time). */
  long verifiedAt() {
    return verifiedAt.get();
  }

  long session() {
    return session.get();
  }

  /**
   * The connection was lost (its tracking state on the server is gone), or its tracking must be
   * asked for again, with a new prefix: a new session begins.
   */
  void lost(boolean disconnected) {
    tracking = false;
    session.incrementAndGet();
    verifiedAt.set(ticker.read() - leaseNanos);
    if (disconnected) {
      connected = false;
    }
  }

  /** The connection is up again (a new session): tracking may be asked for at once. */
  void reconnected() {
    connected = true;
    retryEnableAt = ticker.read();
  }

  /** A command sent at {@code sentAt} in session {@code s} was answered. */
  void confirmed(long s, long sentAt) {
    if (session.get() == s) {
      verifiedAt.accumulateAndGet(sentAt, Math::max);
    }
  }

  /**
   * Sends {@code CLIENT TRACKING on BCAST} with the owner's key prefixes, unless it is
   * acknowledged, in flight, or failed less than a lease ago (a server that refuses it, e.g. by
   * ACL, is not asked again on every read), or no prefix is known yet (BCAST without one would
   * broadcast every key of the database).
   *
   * <p>{@code CLIENT TRACKING off} goes first, on the same connection: a server refuses a prefix
   * the connection already broadcasts, and an earlier acknowledgement (before a prefix was added,
   * or one whose reply timed out) may have registered some of them.
   */
  void enable() {
    long now = ticker.read();
    if (tracking || !connection.isOpen() || now - retryEnableAt < 0) {
      return;
    }
    String[] prefixes = owner.prefixes();
    if (prefixes.length == 0 || !enabling.compareAndSet(false, true)) {
      return;
    }
    long s = session.get();
    try {
      connection.async().clientTracking(TrackingArgs.Builder.enabled(false));
      RedisFuture<String> reply =
          connection.async().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefixes));
      bounded(reply).whenComplete((ok, error) -> {
        if (error == null) {
          acknowledged(s, now);
        } else {
          retryEnableAt = now + leaseNanos;
          owner.trackingFailed(error);
        }
        enabling.set(false);
      });
    } catch (RuntimeException rejected) {
      retryEnableAt = now + leaseNanos;
      owner.trackingFailed(rejected);
      enabling.set(false);
    }
  }

  private void acknowledged(long s, long sentAt) {
    synchronized (owner) {
      if (session.get() != s) {
        return; // lost meanwhile: tracking state on the new session is unknown
      }
      if (probe == PING) {
        verifiedAt.accumulateAndGet(sentAt, Math::max); // else the first probe renews the lease
      }
      tracking = true;
      owner.trackingOn();
    }
  }

  /**
   * Sends the probe ({@code PING}), unless one is in flight or one found the copy invalid less
   * than 100 ms ago (every read past half the lease would otherwise send one, while, say, a slot
   * migrates).
   */
  void heartbeat() {
    if (System.nanoTime() - nextProbe < 0 || !pinging.compareAndSet(false, true)) {
      return;
    }
    long s = session.get();
    long sentAt = ticker.read();
    try {
      bounded(probe.send(connection)).whenComplete((valid, error) -> {
        if (error == null && Boolean.TRUE.equals(valid)) {
          confirmed(s, sentAt);
        } else if (error == null) {
          nextProbe = System.nanoTime() + INVALID_PROBE_PAUSE_NANOS;
        }
        pinging.set(false);
      });
    } catch (RuntimeException rejected) {
      pinging.set(false);
    }
  }

  /**
   * {@code command}, failed with a {@link java.util.concurrent.TimeoutException} past the lease.
   * Commands carry no timeout of their own (see {@link LettuceSetup}), and these two are not
   * awaited: a reply that never comes must not leave the flag guarding them set forever.
   */
  private <T> CompletableFuture<T> bounded(CompletionStage<T> command) {
    return command.toCompletableFuture().orTimeout(leaseNanos, TimeUnit.NANOSECONDS);
  }
}
