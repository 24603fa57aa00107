package dev.cachet.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A local copy of values read from Redis, kept coherent by server-assisted client-side caching in
 * broadcasting mode: {@code CLIENT TRACKING on BCAST PREFIX <ns>:} on the RESP3 command
 * connection makes the server push an {@code invalidate} message whenever any client changes a
 * key under one of the prefixes; each message evicts those keys here, a {@code null} one (flush)
 * evicts everything.
 *
 * <p>BCAST rather than the default mode: the default mode makes the server remember every key
 * this connection read, keys read and not found included, in a table that counts toward
 * {@code maxmemory} and is unbounded unless {@code tracking-table-max-keys} is set, so a flood of
 * requests for ever-new paths (404s) fills the server's memory with keys that never exist. In
 * BCAST mode the server keeps one entry per prefix, whatever is read. The cost is traffic: each
 * instance is told of every write under the prefixes (entries filled, versions bumped, locks),
 * not only of keys it read. The prefixes are learned from the keys read: a key's prefix is its
 * text up to and including its first {@code :} (a Cachet namespace, see {@code KeyMapper}), at
 * most {@value BroadcastPrefixes#MAX} of them; a key without one, or past that bound, is read from Redis
 * every time. A new prefix restarts tracking on every connection with it, the copy empty.
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
 * <p>On a cluster the copy depends on several connections, one per node (see
 * {@link ClusterTracking}): rules 2 and 3 hold for each of them (its loss empties the copy, and
 * every one up must have tracking acknowledged and have answered a probe within the lease, a
 * {@code CLUSTER NODES} that also checks the node's slots), and replies do not renew the lease,
 * since which node connection carried one is not known. Each connection's state is a
 * {@link TrackedConnection}.
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
  private static final TrackedConnection[] NONE = new TrackedConnection[0];

  private final Cache<String, Object> cache;
  private final Ticker ticker;
  private final long leaseNanos;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final BroadcastPrefixes prefixes = new BroadcastPrefixes();
  /** The connections that may carry a read; guarded by {@code this} for writes. */
  private volatile TrackedConnection[] connections = NONE;
  /** Open connections that may carry a read but are not (yet) among {@link #connections}. */
  private int unknown;
  /** One connection whose every reply renews the lease (standalone), rather than PINGs alone. */
  private volatile boolean repliesConfirm;
  private volatile Runnable onUntracked = () -> {};
  /** Every connection up may be served from: tracking is acknowledged on it and none is unknown. */
  private volatile boolean tracking;
  /** Empty but in tests: see {@link PushHold}. */
  final PushHold pushHold = new PushHold();

  NearCache(long maximumBytes, Duration lease, Ticker ticker) {
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
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

  /**
   * Standalone: registers on a new connection, before any command is sent on it; it replaces the
   * previous one.
   */
  void attach(StatefulRedisConnection<String, byte[]> c) {
    c.addListener((PushListener) this);
    c.addListener((RedisConnectionStateListener) this);
    TrackedConnection t = track(c);
    synchronized (this) {
      repliesConfirm = true;
      connections = new TrackedConnection[] {t};
      recompute();
    }
    t.enable();
  }

  /** A tracking state for {@code c}, not yet among the connections served from. */
  TrackedConnection track(StatefulRedisConnection<String, ?> c) {
    return track(c, TrackedConnection.PING);
  }

  /** {@link #track(StatefulRedisConnection)} whose lease is renewed by {@code probe}. */
  TrackedConnection track(StatefulRedisConnection<String, ?> c, TrackedConnection.Probe probe) {
    return new TrackedConnection(c, probe, this, ticker, leaseNanos);
  }

  /** Cluster: {@code t} may carry reads from now on. Its tracking is not acknowledged yet. */
  synchronized void add(TrackedConnection t) {
    TrackedConnection[] now = Arrays.copyOf(connections, connections.length + 1);
    now[now.length - 1] = t;
    connections = now;
    recompute();
  }

  /** Cluster: {@code t} was closed for good. */
  synchronized void remove(TrackedConnection t) {
    connections = Arrays.stream(connections).filter(c -> c != t).toArray(TrackedConnection[]::new);
    recompute();
  }

  /**
   * Cluster: {@code count} connections that may carry a read are open but not among the tracked
   * ones; the copy is neither served nor filled until there are none. Also advances the epoch, as
   * a reply may come from such a connection.
   */
  synchronized void unknownConnections(int count) {
    epoch.incrementAndGet();
    unknown = count;
    recompute();
  }

  long leaseNanos() {
    return leaseNanos;
  }

  /** Cluster: runs when a read finds the copy unusable, to look for connections to track. */
  void onUntracked(Runnable discover) {
    this.onUntracked = discover;
  }

  private void recompute() {
    boolean all = unknown == 0;
    boolean any = false;
    for (TrackedConnection t : connections) {
      if (t.connected()) {
        any = true;
        all &= t.tracking();
      }
    }
    tracking = all && any;
  }

  /**
   * Whether {@code key} may be near-cached: its prefix is broadcast, or is now added (the copy is
   * then empty and not served until tracking is acknowledged again with it). False for a key
   * without {@code :} and for a new prefix past {@value BroadcastPrefixes#MAX}: such keys are read from
   * Redis every time.
   */
  boolean covers(String key) {
    return prefixes.covers(key) || learn(key);
  }

  /** Whether every one of {@code keys} may be near-cached (see {@link #covers}). */
  boolean coversAll(List<String> keys) {
    for (int i = 0, n = keys.size(); i < n; i++) {
      if (!covers(keys.get(i))) {
        return false;
      }
    }
    return true;
  }

  private synchronized boolean learn(String key) {
    if (prefixes.covers(key)) {
      return true; // learned meanwhile
    }
    if (prefixes.add(key) == null) {
      return false;
    }
    for (TrackedConnection t : connections) {
      t.lost(false); // a new session, asked for with every prefix
    }
    epoch.incrementAndGet(); // before emptying: a read of the old epoch must not refill
    recompute();
    cache.invalidateAll();
    return true;
  }

  /** The key prefixes broadcast, for {@code CLIENT TRACKING}. */
  String[] prefixes() {
    return prefixes.all();
  }

  /** The cached value ({@code byte[]}, {@code Long} or {@link #ABSENT}), or {@code null}. */
  @Nullable Object lookup(String key) {
    return servable() ? cached(key) : null;
  }

  /**
   * Whether the copy may be served now: tracking is confirmed on every connection up, and each of
   * them answered within the lease. One check covers the several keys of one read: a volatile
   * read, one clock read and a compare per connection.
   */
  boolean servable() {
    if (!tracking) {
      enableTracking();
      return false;
    }
    long now = ticker.read();
    boolean fresh = true;
    for (TrackedConnection t : connections) {
      if (!t.connected()) {
        continue; // commands are rejected while it is down; its return advances the epoch
      }
      long age = now - t.verifiedAt();
      if (age >= leaseNanos / 2) {
        t.heartbeat();
      }
      fresh &= age < leaseNanos;
    }
    return fresh;
  }

  /**
   * The cached value under {@code key} ({@code byte[]} exactly as read, {@code Long} or
   * {@link #ABSENT}), or {@code null}. It does not check the lease: reads call it only after
   * {@link #servable()} said yes, tests to see what the copy holds.
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
    if (repliesConfirm && epoch.get() == pending.epoch) {
      for (TrackedConnection t : connections) {
        t.confirmed(t.session(), pending.sentAt);
      }
    }
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

  /** Asks for tracking on every connection up that lacks it, and looks for unknown ones. */
  private void enableTracking() {
    for (TrackedConnection t : connections) {
      if (t.connected() && !t.tracking()) {
        t.enable();
      }
    }
    onUntracked.run();
  }

  void trackingFailed(Throwable error) {
    if (error instanceof RedisCommandExecutionException refused && warned.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Cachet near cache is off: the server refused CLIENT TRACKING: " + refused.getMessage());
    }
  }

  /** Tracking was acknowledged on one connection; called holding {@code this}. */
  void trackingOn() {
    cache.invalidateAll();
    recompute();
  }

  /** Forgets everything and stops serving until tracking is confirmed again on every connection. */
  synchronized void suspend() {
    for (TrackedConnection t : connections) {
      t.lost(false);
    }
    tracking = false;
    epoch.incrementAndGet(); // before emptying: a read of the old epoch must not refill
    cache.invalidateAll();
  }

  /**
   * Cluster: {@code t} lost its connection; forgets everything (which keys it served is not
   * known) and stops serving until tracking is acknowledged on it again or it is closed.
   */
  synchronized void lost(TrackedConnection t) {
    t.lost(true);
    epoch.incrementAndGet();
    recompute();
    cache.invalidateAll();
  }

  /** Cluster: {@code t} connected again, in a new session without tracking. */
  synchronized void reconnected(TrackedConnection t) {
    t.lost(false);
    t.reconnected();
    epoch.incrementAndGet();
    recompute();
  }

  /** Forgets everything (a topology change) while tracking stays on. */
  synchronized void flush() {
    epoch.incrementAndGet();
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
        if (key instanceof String k && !pushHold.holds(k)) {
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

  /** Whether tracking is confirmed on every connection up. */
  boolean tracking() {
    return tracking;
  }


  /** Applies the invalidations {@link #pushHold} held back, as their late pushes would. */
  void releasePushes() {
    pushHold.release(cache::invalidate);
  }

  long size() {
    return cache.estimatedSize();
  }

  long epoch() {
    return epoch.get();
  }
}
