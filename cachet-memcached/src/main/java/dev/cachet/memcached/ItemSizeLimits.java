package dev.cachet.memcached;

import com.google.code.yanf4j.core.Session;
import dev.cachet.store.StoreUnavailableException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.rubyeye.xmemcached.CommandFactory;
import net.rubyeye.xmemcached.MemcachedSessionLocator;
import net.rubyeye.xmemcached.command.Command;
import net.rubyeye.xmemcached.command.OperationStatus;

/**
 * The largest value each server accepts for a key: the smaller of the server's own item size
 * limit ({@code item_size_max} in its {@code stats settings}) and the store's {@code
 * maxItemSize}, less the key and Memcached's per-item overhead. Each connection's server is asked
 * once, before the first write on that connection, so a server restarted with another {@code -I}
 * is asked again after the reconnect. Thread-safe.
 */
final class ItemSizeLimits {
  /**
   * Memcached's bytes per item beyond key and value when the value's flags are 0 (always so
   * here) and CAS is on (the default): the 48-byte item header, the 8-byte CAS id, the key's
   * terminating NUL and the value's CRLF. Checked against memcached 1.6: a value of
   * {@code item_size_max - key length - 59} bytes is stored, one byte more is refused.
   */
  static final int ITEM_OVERHEAD = 59;

  private final MemcachedSessionLocator locator;
  private final CommandFactory commands;
  private final int maxItemSize;
  private final long timeoutMillis;
  private final boolean askServers;
  /** The item size limit learned from the server behind each connection, by server id. */
  private final Map<String, Learned> learned = new ConcurrentHashMap<>();

  private record Learned(Session session, int itemSizeMax) {}

  /**
   * @param askServers false to trust {@code maxItemSize} for every server (tests only: it lets a
   *     server's own "too large" reply be exercised)
   */
  ItemSizeLimits(
      MemcachedSessionLocator locator, CommandFactory commands, int maxItemSize,
      long timeoutMillis, boolean askServers) {
    this.locator = locator;
    this.commands = commands;
    this.maxItemSize = maxItemSize;
    this.timeoutMillis = timeoutMillis;
    this.askServers = askServers;
  }

  /** What a value refused by {@link #check} is told. */
  record Limit(int valueBytes, int itemSizeMax, String server) {}

  /**
   * The limit for the mapped key {@code key}, asking its server first when its connection is new.
   *
   * @throws MemcachedStoreException when the server's limit cannot be read (timeout, closed
   *     connection): a failure of that server
   * @throws StoreUnavailableException when no server is connected
   */
  Limit limitFor(String key) {
    Session session = locator.getSessionByKey(key);
    if (session == null) {
      throw new StoreUnavailableException("no Memcached server is connected");
    }
    InetSocketAddress address = session.getRemoteSocketAddress();
    String server = ServerAddress.id(address);
    int itemSizeMax = maxItemSize;
    if (askServers) {
      Learned known = learned.get(server);
      if (known == null || known.session() != session) {
        known = new Learned(session, Math.min(maxItemSize, ask(session, address, server)));
        learned.put(server, known);
      }
      itemSizeMax = known.itemSizeMax();
    }
    return new Limit(itemSizeMax - ITEM_OVERHEAD - key.length(), itemSizeMax, server);
  }

  /**
   * The server's {@code item_size_max}; {@code maxItemSize} when the server answers without it
   * (a server that does not report it is trusted to take what the store is configured for).
   */
  private int ask(Session session, InetSocketAddress address, String server) {
    CountDownLatch latch = new CountDownLatch(1);
    Command stats = commands.createStatsCommand(address, latch, "settings");
    session.write(stats);
    try {
      if (!latch.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        if (stats.getStatus() == OperationStatus.SENDING) {
          stats.cancel();
        }
        throw new MemcachedStoreException(
            "stats settings of " + server + " timed out after " + timeoutMillis + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemcachedStoreException("stats settings of " + server + " was interrupted", e);
    }
    if (stats.getException() != null) {
      return maxItemSize; // e.g. a server that does not know "stats settings"
    }
    Object result = stats.getResult();
    if (result instanceof Map<?, ?> settings && settings.get("item_size_max") instanceof String max) {
      try {
        return Integer.parseInt(max.strip());
      } catch (NumberFormatException notANumber) {
        return maxItemSize;
      }
    }
    return maxItemSize;
  }
}
