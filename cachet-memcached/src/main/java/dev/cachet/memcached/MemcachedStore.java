package dev.cachet.memcached;

import com.google.code.yanf4j.core.Session;
import dev.cachet.store.CacheStore;
import dev.cachet.store.CircuitAware;
import dev.cachet.store.CircuitBreakerStore;
import dev.cachet.store.CircuitBreakerStore.State;
import dev.cachet.store.EntryAndVersions;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.StoreUnavailableException;
import dev.cachet.store.UnsupportedCapabilityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.MemcachedSessionLocator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CacheStore} on one or more Memcached servers, sharded by ketama consistent hashing.
 *
 * <p>Built with {@link #builder()}; each instance owns its connections and I/O threads, so build
 * one per process and share it. Thread-safe. Every method throws {@link NullPointerException} for
 * a {@code null} argument.
 *
 * <p><b>Data.</b> Values are stored as their raw bytes (no serialization, no compression). A value
 * larger than its server's item size less its key and 59 bytes of item overhead is refused
 * without being sent: the item size is the smaller of the {@linkplain
 * MemcachedStoreBuilder#maxItemSize configured one} and the server's own {@code item_size_max},
 * which is read before the first write on each connection. {@link #put} then removes any older
 * value of the key (as Memcached itself does when a set is too large) and throws {@link
 * IllegalArgumentException}, which Cachet counts as a store error and logs at most once per
 * interval; it is not a failure of the server and never opens its circuit, and neither is a
 * server's own "too large" reply. {@link #refusedValues} counts them. Keys longer than 250 characters, or with characters
 * Memcached does not allow, are mapped to a prefix-and-SHA-256 form of at most 250 characters.
 * TTLs round up to whole seconds; TTLs over 30 days are sent as absolute Unix times, so the
 * servers' clocks must roughly agree with this one. Versions are 8-byte big-endian values; {@link
 * #getVersions} is one multi-get (each server asked in parallel), and so is {@link
 * #getWithVersions} (a hit's entry and versions) when they all live on one server, which is
 * always the case with a single server. {@link #ttl} always returns
 * {@code null}: Memcached cannot tell.
 *
 * <p><b>Capabilities.</b> {@link StoreCapability#SHARED} and {@link
 * StoreCapability#DISTRIBUTED_LOCK}: a lock is an {@code add} whose expiry is the lease, released
 * by compare-and-delete (the holder's token is checked with {@code gets} and the delete carries the
 * item's CAS id). Not {@link StoreCapability#PATTERN_SCAN}: Memcached cannot list keys, so {@link
 * #scan} throws {@link UnsupportedCapabilityException}; invalidate by tag instead.
 *
 * <p><b>Protocol.</b> The binary protocol (Memcached 1.4 and later), which the CAS-guarded delete
 * needs; servers started with {@code -B ascii} are not supported. No SASL authentication.
 *
 * <p><b>Failures.</b> Each operation has a short timeout (250 ms by default). A key lives on one
 * server; when that server is down its keys fail at once and are not moved to another server
 * (a moved key would resurrect stale versions when the server returns). Each server has its own
 * {@link CircuitBreakerStore}: after consecutive failures of a server, calls for its keys fail
 * without touching the network until a probe succeeds, while keys on the other servers are served
 * as usual. A version read that spans servers is one round trip while their circuits are closed.
 */
public final class MemcachedStore implements CacheStore, CircuitAware {
  private final MemcachedClient client;
  private final MemcachedSessionLocator locator;
  private final MemcachedOps ops;
  private final Map<String, String> labels;
  private final List<String> labelOrder;
  private final Map<String, InetSocketAddress> addresses;
  private final ConcurrentHashMap<String, CircuitBreakerStore> circuits = new ConcurrentHashMap<>();
  private final Function<CacheStore, CircuitBreakerStore> newCircuit;
  private final long statsTimeoutMillis;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param labels configured {@code host:port} by server id, in configured order
   * @param addresses resolved address by server id
   */
  MemcachedStore(
      MemcachedClient client, MemcachedSessionLocator locator, MemcachedOps ops,
      Map<String, String> labels, Map<String, InetSocketAddress> addresses,
      Function<CacheStore, CircuitBreakerStore> newCircuit, Duration operationTimeout) {
    this.client = client;
    this.locator = locator;
    this.ops = ops;
    this.labels = Map.copyOf(labels);
    this.addresses = Map.copyOf(addresses);
    this.newCircuit = newCircuit;
    this.statsTimeoutMillis = operationTimeout.toMillis();
    this.labelOrder = List.copyOf(labels.keySet());
  }

  /** A builder; only {@link MemcachedStoreBuilder#servers} is required. */
  public static MemcachedStoreBuilder builder() {
    return new MemcachedStoreBuilder();
  }

  /** The server id ({@code address:port}) that the Memcached key {@code mapped} lives on. */
  private String serverId(String mapped) {
    Session session = locator.getSessionByKey(mapped);
    if (session == null) {
      throw new StoreUnavailableException("no Memcached server is connected");
    }
    return ServerAddress.id(session.getRemoteSocketAddress());
  }

  /** The worst state of the per-server breakers; {@code CLOSED} before any server was called. */
  @Override
  public State circuitState() {
    State worst = State.CLOSED;
    for (CircuitBreakerStore circuit : circuits.values()) {
      State state = circuit.state();
      if (state == State.OPEN || (state == State.HALF_OPEN && worst == State.CLOSED)) {
        worst = state;
      }
    }
    return worst;
  }

  private CircuitBreakerStore circuit(String serverId) {
    return circuits.computeIfAbsent(serverId, id -> newCircuit.apply(ops));
  }

  private CircuitBreakerStore circuitFor(String mapped) {
    return circuit(serverId(mapped));
  }

  private static String map(String key) {
    return MemcachedKeys.map(Objects.requireNonNull(key, "key"));
  }

  @Override
  public byte @Nullable [] get(String key) {
    String mapped = map(key);
    return circuitFor(mapped).get(mapped);
  }

  /**
   * Stores {@code value} for {@code ttl}.
   *
   * @throws IllegalArgumentException when the value does not fit one item of the key's server
   *     (the key's older value is removed and the value is not sent; not a failure of the server)
   */
  @Override
  public void put(String key, byte[] value, Duration ttl) {
    String mapped = map(key);
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    circuitFor(mapped).put(mapped, value, ttl);
  }

  /**
   * How many values {@link #put} refused since this store was built because they were over the
   * item size limit of their key's server; each is also a store error to Cachet.
   */
  public long refusedValues() {
    return ops.refusals();
  }

  @Override
  public boolean delete(String key) {
    String mapped = map(key);
    return circuitFor(mapped).delete(mapped);
  }

  @Override
  public long[] getVersions(List<String> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      return new long[0];
    }
    List<String> mapped = new ArrayList<>(keys.size());
    Map<String, List<Integer>> byServer = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String m = map(keys.get(i));
      mapped.add(m);
      byServer.computeIfAbsent(serverId(m), id -> new ArrayList<>()).add(i);
    }
    if (byServer.size() == 1) {
      return circuit(byServer.keySet().iterator().next()).getVersions(mapped);
    }
    if (byServer.keySet().stream().allMatch(id -> circuit(id).state() == State.CLOSED)) {
      // One round trip to every server at once. A failure here is not charged to a server: the
      // entry reads that precede every version read are, and they open a failing server's circuit.
      return ops.getVersions(mapped);
    }
    // Some circuit is open or probing: ask each server through its own circuit, those that are
    // not closed first, so that an open one fails the read before any round trip is spent.
    List<Map.Entry<String, List<Integer>>> groups = new ArrayList<>(byServer.entrySet());
    groups.sort((a, b) -> Boolean.compare(
        circuit(a.getKey()).state() == State.CLOSED, circuit(b.getKey()).state() == State.CLOSED));
    long[] versions = new long[mapped.size()];
    for (Map.Entry<String, List<Integer>> group : groups) {
      List<Integer> positions = group.getValue();
      List<String> part = positions.stream().map(mapped::get).toList();
      long[] read = circuit(group.getKey()).getVersions(part);
      for (int j = 0; j < read.length; j++) {
        versions[positions.get(j)] = read[j];
      }
    }
    return versions;
  }

  /**
   * One multi-get of the entry and its versions, through the circuit of the entry's server, when
   * they all live on that server (always so with one server). Otherwise the entry is read through
   * its server's circuit, then the versions as {@link #getVersions} reads them: a failure of a
   * multi-server read could not be charged to the right circuit.
   */
  @Override
  public EntryAndVersions getWithVersions(String key, List<String> versionKeys) {
    String mapped = map(key);
    Objects.requireNonNull(versionKeys, "versionKeys");
    String server = serverId(mapped);
    List<String> mappedVersions = new ArrayList<>(versionKeys.size());
    boolean oneServer = true;
    for (String versionKey : versionKeys) {
      String m = map(versionKey);
      mappedVersions.add(m);
      oneServer = oneServer && serverId(m).equals(server);
    }
    if (oneServer) {
      return circuit(server).getWithVersions(mapped, mappedVersions);
    }
    byte[] entry = circuit(server).get(mapped);
    return entry == null ? EntryAndVersions.none() : new EntryAndVersions(entry, getVersions(versionKeys));
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    String mapped = map(key);
    Objects.requireNonNull(ttl, "ttl");
    circuitFor(mapped).setVersion(mapped, version, ttl);
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    String mapped = map(key);
    Objects.requireNonNull(ttl, "ttl");
    return circuitFor(mapped).setVersionIfAbsent(mapped, version, ttl);
  }

  /** Each key on its own server, through that server's circuit. */
  @Override
  public void touchVersions(List<String> keys, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    for (String key : Objects.requireNonNull(keys, "keys")) {
      String mapped = map(key);
      circuitFor(mapped).touchVersions(List.of(mapped), ttl);
    }
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return ops.capabilities();
  }

  /**
   * Always throws: Memcached cannot list its keys.
   *
   * @throws UnsupportedCapabilityException always
   */
  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    throw new UnsupportedCapabilityException(
        StoreCapability.PATTERN_SCAN,
        "Memcached cannot list keys, so it cannot scan or delete by pattern; give the entries a tag"
            + " and invalidate the tag instead (one write, whatever the number of entries)");
  }

  /** Always {@code null}: Memcached does not report an item's remaining lifetime. */
  @Override
  public @Nullable Duration ttl(String key) {
    Objects.requireNonNull(key, "key");
    return null;
  }

  @Override
  public boolean tryLock(String key, String token, Duration lease) {
    String mapped = map(key);
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(lease, "lease");
    return circuitFor(mapped).tryLock(mapped, token, lease);
  }

  @Override
  public void unlock(String key, String token) {
    String mapped = map(key);
    Objects.requireNonNull(token, "token");
    circuitFor(mapped).unlock(mapped, token);
  }

  /**
   * The sum of the {@code evictions} statistic of the servers that answer (their evictions for
   * any client since they started); servers whose circuit is open are skipped.
   */
  @Override
  public long evictionCount() {
    long total = 0;
    for (Map.Entry<String, InetSocketAddress> server : addresses.entrySet()) {
      CircuitBreakerStore circuit = circuits.get(server.getKey());
      if (circuit != null && circuit.state() == State.OPEN) {
        continue;
      }
      try {
        Map<String, String> stats = client.stats(server.getValue(), statsTimeoutMillis);
        total += Long.parseLong(stats.getOrDefault("evictions", "0"));
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          break;
        }
        // A server that does not answer has nothing to add.
      }
    }
    return total;
  }

  /**
   * The circuit state of each server, keyed by {@code host:port} as configured, in configured
   * order; for health checks.
   */
  public Map<String, State> serverStates() {
    Map<String, State> states = new LinkedHashMap<>();
    for (String id : labelOrder) {
      CircuitBreakerStore circuit = circuits.get(id);
      states.put(labels.get(id), circuit == null ? State.CLOSED : circuit.state());
    }
    return states;
  }

  /** The configured {@code host:port} that {@code key} is stored on. */
  String serverOf(String key) {
    String id = serverId(map(key));
    return labels.getOrDefault(id, id);
  }

  /** Closes the connections and I/O threads; data on the servers is left as it is. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        client.shutdown();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the Memcached client failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "MemcachedStore" + labelOrder.stream().map(labels::get).toList();
  }
}
