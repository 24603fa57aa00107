package dev.cachet.memcached;

import com.google.code.yanf4j.core.impl.StandardSocketOption;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitBreakerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.CachedData;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link MemcachedStore}. Each setter may be called once ({@link IllegalStateException}
 * otherwise) and checks its argument at once ({@link IllegalArgumentException}); {@link
 * #servers} is required. Not thread-safe.
 */
public final class MemcachedStoreBuilder {
  /** Memcached's default item size limit ({@code -I 1m}). */
  public static final int DEFAULT_MAX_ITEM_SIZE = 1024 * 1024;

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  private static final int DEFAULT_SEND_BUFFER = 64 * 1024;

  private @Nullable List<ServerAddress> servers;
  private Duration operationTimeout = Duration.ofMillis(250);
  private Duration connectTimeout = Duration.ofSeconds(1);
  private int maxItemSize = DEFAULT_MAX_ITEM_SIZE;
  private int failureThreshold = 5;
  private Duration openDuration = Duration.ofSeconds(5);
  private Clock clock = Clock.systemUTC();
  private boolean askServerLimits = true;
  private final Set<String> set = new HashSet<>();

  MemcachedStoreBuilder() {}

  private void once(String name) {
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  private static Duration timeout(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(name + " must be in (0, " + MAX_TIMEOUT + "]: " + d);
    }
    if (d.toMillis() == 0) {
      throw new IllegalArgumentException(name + " must be at least 1 ms: " + d);
    }
    return d;
  }

  /**
   * The servers: {@code host:port} entries separated by commas or spaces ({@code [v6]:port} for
   * IPv6; the port defaults to 11211). Every process sharing the cache must list the same servers:
   * keys are spread over them by consistent hashing of their resolved addresses.
   */
  public MemcachedStoreBuilder servers(String servers) {
    once("servers");
    this.servers = ServerAddress.parseList(Objects.requireNonNull(servers, "servers"));
    return this;
  }

  /**
   * How long one operation may take before it fails (and counts against its server's circuit);
   * default 250 ms, at most 1 minute.
   */
  public MemcachedStoreBuilder operationTimeout(Duration timeout) {
    once("operationTimeout");
    this.operationTimeout = timeout("operationTimeout", timeout);
    return this;
  }

  /** How long {@link #build()} waits for each connection; default 1 s, at most 1 minute. */
  public MemcachedStoreBuilder connectTimeout(Duration timeout) {
    once("connectTimeout");
    this.connectTimeout = timeout("connectTimeout", timeout);
    return this;
  }

  /**
   * The largest item the store writes, in bytes; default 1 MiB (Memcached's default {@code -I}).
   * Each server's own limit ({@code item_size_max}, read with {@code stats settings} before the
   * first write on each connection, so again after a reconnect) applies when it is smaller. A
   * value that does not fit its server's limit, less its key and 59 bytes of item overhead, is
   * never sent: {@link MemcachedStore#put} deletes the key's older value and throws {@link
   * IllegalArgumentException}, which Cachet counts as a store error and logs at most once per
   * interval; it is not a failure of the server and never opens its circuit. At least 1 KiB; above
   * 1 MiB the client must be allowed as much with the system property {@code
   * xmemcached.cached.data.size.max}.
   */
  public MemcachedStoreBuilder maxItemSize(int bytes) {
    once("maxItemSize");
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxItemSize must be at least 1024 bytes: " + bytes);
    }
    if (bytes > CachedData.MAX_SIZE) {
      throw new IllegalArgumentException(
          "maxItemSize " + bytes + " exceeds the client's limit of " + CachedData.MAX_SIZE
              + " bytes; raise it with -Dxmemcached.cached.data.size.max=" + bytes);
    }
    this.maxItemSize = bytes;
    return this;
  }

  /**
   * The circuit breaker of each server: after {@code failureThreshold} consecutive failures the
   * server's keys fail at once for {@code openDuration}, then one probe decides. Default 5 and
   * 5 s.
   */
  public MemcachedStoreBuilder circuitBreaker(int failureThreshold, Duration openDuration) {
    once("circuitBreaker");
    Objects.requireNonNull(openDuration, "openDuration");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException(
          "failureThreshold must be at least 1: " + failureThreshold);
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive: " + openDuration);
    }
    this.failureThreshold = failureThreshold;
    this.openDuration = openDuration;
    return this;
  }

  /**
   * The clock that times circuit breakers and turns TTLs over 30 days into absolute times (which
   * Memcached compares with its own clock). Default the system UTC clock.
   */
  public MemcachedStoreBuilder clock(Clock clock) {
    once("clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Tests only: trust {@code maxItemSize} for every server instead of asking each its limit. */
  MemcachedStoreBuilder trustMaxItemSize() {
    once("trustMaxItemSize");
    this.askServerLimits = false;
    return this;
  }

  /**
   * Connects and returns the store. A server that is down now is kept in the ring: its keys fail
   * until it is reachable, and the client reconnects in the background.
   *
   * @throws IllegalStateException when no servers were set
   * @throws IllegalArgumentException when a host cannot be resolved
   * @throws UncheckedIOException when the client cannot start
   */
  public MemcachedStore build() {
    if (servers == null) {
      throw new IllegalStateException("servers are required");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
    List<InetSocketAddress> resolved = new ArrayList<>();
    for (ServerAddress server : servers) {
      InetSocketAddress address = server.resolve();
      String id = ServerAddress.id(address);
      if (labels.putIfAbsent(id, server.label()) != null) {
        throw new IllegalArgumentException(
            server.label() + " and " + labels.get(id) + " are the same server (" + id + ")");
      }
      addresses.put(id, address);
      resolved.add(address);
    }
    KetamaMemcachedSessionLocator locator = new KetamaMemcachedSessionLocator();
    XMemcachedClientBuilder client = new XMemcachedClientBuilder(resolved);
    client.setName("cachet-memcached");
    client.setSessionLocator(locator);
    BinaryCommandFactory commands = new BinaryCommandFactory();
    client.setCommandFactory(commands); // CAS-guarded delete needs it
    client.setFailureMode(true); // a dead server's keys fail; they never move to another server
    client.setTranscoder(RawBytesTranscoder.INSTANCE);
    client.setSanitizeKeys(false);
    client.setOpTimeout(operationTimeout.toMillis());
    client.setConnectTimeout(connectTimeout.toMillis());
    // xmemcached's default 32 KiB send buffer holds about one loopback segment, which the server
    // acknowledges only when its delayed-ACK timer fires (40 ms): a 1 MB set then took some
    // 600 ms, past the operation timeout. A buffer that holds a whole item writes it at once.
    client.setSocketOption(StandardSocketOption.SO_SNDBUF, Math.max(maxItemSize, DEFAULT_SEND_BUFFER));
    MemcachedClient connected;
    try {
      connected = client.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Memcached client", e);
    }
    // A connection whose replies stopped coming (a peer gone without a reset) would otherwise be
    // kept for a thousand time-outs: give it up after as many as open the circuit, and reconnect.
    connected.setTimeoutExceptionThreshold(failureThreshold);
    int threshold = failureThreshold;
    Duration open = openDuration;
    Clock breakerClock = clock;
    Function<CacheStore, CircuitBreakerStore> newCircuit =
        ops -> CircuitBreakerStore.builder(ops)
            .failureThreshold(threshold)
            .openDuration(open)
            .clock(breakerClock)
            .build();
    ItemSizeLimits limits = new ItemSizeLimits(
        locator, commands, maxItemSize, operationTimeout.toMillis(), askServerLimits);
    return new MemcachedStore(
        connected, locator, new MemcachedOps(connected, operationTimeout, clock, limits), labels,
        addresses, newCircuit, operationTimeout);
  }
}
