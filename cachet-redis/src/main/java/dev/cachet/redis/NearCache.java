package dev.cachet.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A local copy of values read from Redis, kept coherent by server-assisted client-side caching:
 * {@code CLIENT TRACKING on} (default mode) on the RESP3 command connection makes the server
 * remember the keys this connection read and push an {@code invalidate} message when any client
 * changes one; each message evicts those keys here, a {@code null} one (flush) evicts everything.
 *
 * <p>Default mode rather than BCAST: the server then sends each instance invalidations only for
 * keys it read, not for every write to the namespace (each miss writes an entry, and BCAST would
 * send every write to every instance); and the store serves many namespaces, so it has no single
 * prefix to broadcast. The cost, a server-side table of tracked keys, is bounded by
 * {@code tracking-table-max-keys} (overflow invalidates keys, which is safe).
 *
 * <p>Four rules keep the copy from ever serving a value Redis no longer has:
 *
 * <ol>
 *   <li>A read reserves its key with a {@link Pending} marker before the command is sent; the
 *       reply replaces the marker only if it is still there. An invalidation that arrives between
 *       the two removes the marker, so the older reply is not cached.
 *   <li>A lost connection loses the server's tracking state: on disconnect the epoch advances,
 *       tracking is off, the copy is emptied, and replies of the old epoch are not cached. It is
 *       not used again until {@code CLIENT TRACKING on} has been acknowledged on the new
 *       connection. No push sent nor reply received on the old connection is needed for this.
 *   <li>A reply proves that every invalidation the server queued before it has been seen (one
 *       connection, in order). The copy is served only while the last reply is younger than the
 *       lease; an idle copy sends a {@code PING} past half the lease. This bounds staleness when
 *       the connection is silently broken or the server hangs.
 *   <li>This instance's own writes evict the key once acknowledged (and the server also pushes an
 *       invalidation for them: {@code NOLOOP} is not used, since a write that timed out here may
 *       still be applied later).
 * </ol>
 *
 * <p>Thread-safe; listener callbacks run on Lettuce's event loop and never block.
 */
final class NearCache implements PushListener, RedisConnectionStateListener {
  /** Cached for a key that Redis does not hold. */
  static final Object ABSENT = new Object();

  /** A read in flight; holds the key's slot until its reply arrives. */
  static final class Pending {
    final long epoch;
    final long sentAt;
    final boolean reserved;

    private Pending(long epoch, long sentAt, boolean reserved) {
      this.epoch = epoch;
      this.sentAt = sentAt;
      this.reserved = reserved;
    }
  }

  private static final int ENTRY_OVERHEAD_BYTES = 64;
  private static final Logger LOG = System.getLogger("dev.cachet");

  private final Cache<String, Object> cache;
  private final Ticker ticker;
  private final long leaseNanos;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong verifiedAt = new AtomicLong();
  private final AtomicBoolean enabling = new AtomicBoolean();
  private final AtomicBoolean pinging = new AtomicBoolean();
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile long retryEnableAt;
  private volatile boolean tracking;
  private volatile @Nullable StatefulRedisConnection<String, byte[]> connection;

  NearCache(long maximumBytes, Duration lease, Ticker ticker) {
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
    this.retryEnableAt = ticker.read();
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maximumBytes)
            .weigher((String key, Object value) -> weigh(key, value))
            .executor(Runnable::run)
            .build();
  }

  private static int weigh(String key, Object value) {
    int size = value instanceof byte[] bytes ? bytes.length : 16;
    return (int) Math.min(Integer.MAX_VALUE, (long) size + key.length() + ENTRY_OVERHEAD_BYTES);
  }

  /** Registers on a new connection, before any command is sent on it. */
  void attach(StatefulRedisConnection<String, byte[]> c) {
    c.addListener((PushListener) this);
    c.addListener((RedisConnectionStateListener) this);
    connection = c;
    enableTracking();
  }

  /** The cached value ({@code byte[]}, {@code Long} or {@link #ABSENT}), or {@code null}. */
  @Nullable Object lookup(String key) {
    return servable() ? cached(key) : null;
  }

  /**
   * Whether the copy may be served now: tracking is confirmed and the connection answered within
   * the lease. One check covers the several keys of one read: a volatile read, one clock read and
   * a compare.
   */
  boolean servable() {
    if (!tracking) {
      enableTracking();
      return false;
    }
    long age = ticker.read() - verifiedAt.get();
    if (age >= leaseNanos / 2) {
      heartbeat();
    }
    return age < leaseNanos;
  }

  /**
   * The cached value under {@code key} ({@code byte[]} exactly as read, {@code Long} or
   * {@link #ABSENT}), or {@code null}; only after {@link #servable()} said yes.
   */
  @Nullable Object cached(String key) {
    Object value = cache.getIfPresent(key);
    return value instanceof Pending ? null : value;
  }

  /** Starts a read of {@code key}: reserves it when the copy may be filled. Call before sending. */
  Pending begin(String key) {
    long e = epoch.get();
    boolean reserve = tracking;
    Pending pending = new Pending(e, ticker.read(), reserve);
    if (reserve) {
      cache.put(key, pending);
    }
    return pending;
  }

  /** Ends a successful read: caches {@code value} ({@link #ABSENT} for none) if still valid. */
  void complete(String key, Pending pending, Object value) {
    confirmed(pending.epoch, pending.sentAt);
    if (!pending.reserved) {
      return;
    }
    if (tracking && epoch.get() == pending.epoch) {
      cache.asMap().replace(key, pending, value);
    } else {
      cache.asMap().remove(key, pending);
    }
  }

  /** Ends a failed read. */
  void abandon(String key, Pending pending) {
    if (pending.reserved) {
      cache.asMap().remove(key, pending);
    }
  }

  /** Evicts a key this instance wrote; called once the write was acknowledged or failed. */
  void evict(String key) {
    cache.invalidate(key);
  }

  /** A command sent at {@code sentAt} in {@code epoch} was answered. */
  private void confirmed(long e, long sentAt) {
    if (epoch.get() == e) {
      verifiedAt.accumulateAndGet(sentAt, Math::max);
    }
  }

  /**
   * Sends {@code CLIENT TRACKING on} unless it is in flight or failed less than a lease ago (a
   * server that refuses it, e.g. by ACL, is not asked again on every read).
   */
  private void enableTracking() {
    StatefulRedisConnection<String, byte[]> c = connection;
    long now = ticker.read();
    if (c == null || !c.isOpen() || now - retryEnableAt < 0 || !enabling.compareAndSet(false, true)) {
      return;
    }
    long e = epoch.get();
    try {
      RedisFuture<String> reply = c.async().clientTracking(TrackingArgs.Builder.enabled());
      bounded(reply).whenComplete((ok, error) -> {
        if (error == null) {
          trackingOn(e, now);
        } else {
          enableFailed(now, error);
        }
        enabling.set(false);
      });
    } catch (RuntimeException rejected) {
      enableFailed(now, rejected);
      enabling.set(false);
    }
  }

  private void enableFailed(long sentAt, Throwable error) {
    retryEnableAt = sentAt + leaseNanos;
    if (error instanceof RedisCommandExecutionException refused && warned.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Cachet near cache is off: the server refused CLIENT TRACKING: " + refused.getMessage());
    }
  }

  private synchronized void trackingOn(long e, long sentAt) {
    if (epoch.get() != e) {
      return; // the connection was lost meanwhile: tracking state on the new one is unknown
    }
    cache.invalidateAll();
    verifiedAt.set(sentAt);
    tracking = true;
  }

  private void heartbeat() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c == null || !pinging.compareAndSet(false, true)) {
      return;
    }
    long e = epoch.get();
    long sentAt = ticker.read();
    try {
      bounded(c.async().ping()).whenComplete((pong, error) -> {
        if (error == null) {
          confirmed(e, sentAt);
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
  private <T> CompletableFuture<T> bounded(RedisFuture<T> command) {
    return command.toCompletableFuture().orTimeout(leaseNanos, TimeUnit.NANOSECONDS);
  }

  /** Forgets everything and stops serving until tracking is confirmed again. */
  synchronized void suspend() {
    tracking = false;
    epoch.incrementAndGet(); // before emptying: a read of the old epoch must not refill
    cache.invalidateAll();
  }

  @Override
  public void onPushMessage(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (keys instanceof List<?> list) {
      for (Object key : list) {
        if (key instanceof String k) {
          cache.invalidate(k);
        }
      }
    } else {
      cache.invalidateAll(); // FLUSHALL / FLUSHDB: the server invalidates every key at once
    }
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
    suspend();
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
    // Nothing to do yet: commands are accepted only after the handshake; the next lookup
    // re-enables tracking.
  }

  // --- For tests and diagnostics ---

  /** Whether tracking is confirmed on the current connection. */
  boolean tracking() {
    return tracking;
  }

  /** The cached object under {@code key}, ignoring the lease; {@code null} if none. */
  @Nullable Object peek(String key) {
    Object value = cache.getIfPresent(key);
    return value instanceof Pending ? null : value;
  }

  long size() {
    return cache.estimatedSize();
  }
}
