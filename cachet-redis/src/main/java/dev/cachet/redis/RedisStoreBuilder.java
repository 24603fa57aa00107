package dev.cachet.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cachet.store.CircuitBreakerStore;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.resource.ClientResources;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RedisStore} (from {@link RedisStore#builder()}). Each setter may be called once
 * ({@link IllegalStateException} otherwise) and checks its argument at once
 * ({@link IllegalArgumentException}). Not thread-safe.
 */
public final class RedisStoreBuilder {
  private @Nullable RedisURI standalone;
  private final List<RedisURI> clusterSeeds = new ArrayList<>();
  private Duration commandTimeout = Duration.ofMillis(250);
  private Duration connectTimeout = Duration.ofSeconds(2);
  private @Nullable Boolean nearCache;
  private long nearCacheMaximumBytes = 32L * 1024 * 1024;
  private Duration nearCacheLease = Duration.ofSeconds(1);
  private int failureThreshold = 5;
  private Duration openDuration = Duration.ofSeconds(5);
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.systemTicker();
  private @Nullable ClientResources clientResources;
  private @Nullable String sentinelUsername;
  private @Nullable String sentinelPassword;
  private @Nullable SslOptions ssl;
  private final Set<String> set = new HashSet<>();

  RedisStoreBuilder() {}

  private void once(String name) {
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  /** Marks {@code uri} or {@code cluster} (exclusive, each once) as set. */
  private void claim(String name) {
    once(name);
    String other = name.equals("uri") ? "cluster" : "uri";
    if (set.contains(other)) {
      throw new IllegalStateException("uri and cluster are exclusive; " + other + " was set");
    }
  }

  private static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  private static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Redis URI: " + e.getMessage(), e);
    }
  }

  /**
   * A standalone server: {@code redis://[[user]:password@]host[:port][/database]}, {@code
   * rediss://} for TLS, {@code
   * redis-sentinel://host1:port1[,host2:port2]?sentinelMasterId=name} for a Sentinel-managed
   * master, {@code rediss-sentinel://} for one whose Sentinels and servers speak TLS (both
   * the connections to the Sentinels and those to the master they name use it), {@code
   * redis-socket://} for a Unix socket (see Lettuce's {@code RedisURI}). Its {@code timeout}
   * parameter is not used: commands are bounded by {@link #commandTimeout}, connecting and each
   * Sentinel's answer by {@link #connectTimeout}. The password in a {@code redis-sentinel://}
   * URI is the master's; Sentinels that require their own take {@link #sentinelCredentials}.
   */
  public RedisStoreBuilder uri(String uri) {
    claim("uri");
    this.standalone = parse(uri);
    return this;
  }

  /**
   * {@link #uri(String)} as Lettuce's own object, for what a URI string cannot carry or would
   * need escaping for (built with {@code RedisURI.builder()} or {@code
   * RedisURI.Builder.sentinel(...)}). The builder keeps a copy: changing {@code uri} afterwards
   * does not change the store, and the store never changes {@code uri}. The copy keeps each
   * Sentinel's own TLS settings, so Sentinels that listen without TLS in front of servers that
   * speak it are reached by a URI built with {@code withSsl(true)} whose Sentinels are then given
   * {@code setSsl(false)} (Lettuce's builder gives every Sentinel the master's TLS settings).
   *
   * @throws IllegalArgumentException when {@code uri} names no host, socket or Sentinel
   */
  public RedisStoreBuilder uri(RedisURI uri) {
    claim("uri");
    Objects.requireNonNull(uri, "uri");
    if (uri.getHost() == null && uri.getSocket() == null && uri.getSentinels().isEmpty()) {
      throw new IllegalArgumentException("a Redis URI needs a host, a socket or Sentinels: " + uri);
    }
    this.standalone = copy(uri);
    return this;
  }

  /**
   * The credentials of the Sentinels themselves (their {@code requirepass} or ACL user), which a
   * {@code redis-sentinel://} URI cannot carry; only with such a {@link #uri}.
   *
   * @param username the ACL user, or {@code null} for the default user
   */
  public RedisStoreBuilder sentinelCredentials(@Nullable String username, String password) {
    once("sentinelCredentials");
    this.sentinelPassword = Objects.requireNonNull(password, "password");
    this.sentinelUsername = username;
    return this;
  }

  /**
   * A Redis Cluster, reached through one or more seed nodes ({@code redis://} or {@code
   * rediss://}, database 0); the rest of the topology is discovered.
   */
  public RedisStoreBuilder cluster(String... seedUris) {
    Objects.requireNonNull(seedUris, "seedUris");
    return cluster(List.of(seedUris));
  }

  /** {@link #cluster(String...)} from a list. */
  public RedisStoreBuilder cluster(List<String> seedUris) {
    claim("cluster");
    Objects.requireNonNull(seedUris, "seedUris");
    List<RedisURI> seeds = new ArrayList<>(seedUris.size());
    for (String seed : seedUris) {
      seeds.add(parse(seed));
    }
    return clusterSeeds(seeds, "cluster");
  }

  /**
   * {@link #cluster(String...)} as Lettuce's own objects (host, port, TLS, credentials); the
   * builder keeps copies, as {@link #uri(RedisURI)} does. A list is passed as {@code
   * seeds.toArray(RedisURI[]::new)}: {@code cluster(List<RedisURI>)} would clash with {@link
   * #cluster(List)} once generics are erased.
   */
  public RedisStoreBuilder cluster(RedisURI... seeds) {
    claim("cluster");
    Objects.requireNonNull(seeds, "seeds");
    return clusterSeeds(Arrays.asList(seeds), "seeds");
  }

  private RedisStoreBuilder clusterSeeds(List<RedisURI> seeds, String name) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("cluster needs at least one seed URI");
    }
    List<RedisURI> checked = new ArrayList<>(seeds.size());
    for (RedisURI uri : seeds) {
      Objects.requireNonNull(uri, name + " holds null");
      if (uri.getDatabase() != 0) {
        throw new IllegalArgumentException("a cluster has only database 0: " + uri);
      }
      if (!uri.getSentinels().isEmpty() || uri.getSocket() != null || uri.getHost() == null) {
        throw new IllegalArgumentException("cluster seeds are redis:// or rediss:// URIs: " + uri);
      }
      checked.add(copy(uri));
    }
    clusterSeeds.addAll(checked);
    return this;
  }

  /**
   * TLS settings for the {@code rediss://} and {@code rediss-sentinel://} connections: which
   * certificates to trust (a private CA), the client's key and certificate for servers that
   * require one ({@code tls-auth-clients yes}), protocols and cipher suites; e.g. {@code
   * SslOptions.builder().jdkSslProvider().trustManager(new File("ca.crt")).build()}. They apply to
   * every TLS connection of the store: the server, the Sentinels and the master they name, each
   * cluster node. Default: the JVM's default trust and no client certificate. Whether a
   * connection uses TLS at all is the URI's ({@code rediss://}, {@code rediss-sentinel://}); the
   * peer's host name is verified as the URI's {@code verifyPeer} says (by default it is: {@code
   * FULL}; {@code verifyPeer=CA} checks the certificate chain only). Behind Sentinel, the master
   * is checked against the address the Sentinels give for it, an IP address unless they announce
   * host names, so its certificate must name that address; each Sentinel against its address in
   * the URI.
   */
  public RedisStoreBuilder ssl(SslOptions options) {
    once("ssl");
    this.ssl = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * How long one command may take before it fails (the call then reads as a miss); default
   * 250 ms. Keep it short: a hanging Redis costs each call up to this until the circuit opens.
   */
  public RedisStoreBuilder commandTimeout(Duration timeout) {
    once("commandTimeout");
    this.commandTimeout = positive("commandTimeout", timeout);
    return this;
  }

  /** How long opening a connection (TCP, TLS and the handshake) may take; default 2 s. */
  public RedisStoreBuilder connectTimeout(Duration timeout) {
    once("connectTimeout");
    this.connectTimeout = positive("connectTimeout", timeout);
    return this;
  }

  /**
   * Whether to keep a near cache; default on, for a standalone server and for a cluster (where
   * every node connection tracks the keys it reads, see {@link RedisStore}).
   */
  public RedisStoreBuilder nearCache(boolean enabled) {
    once("nearCache");
    this.nearCache = enabled;
    return this;
  }

  /** Bound on the near cache's keys, values and per-entry overhead, in bytes; default 32 MiB. */
  public RedisStoreBuilder nearCacheMaximumBytes(long bytes) {
    once("nearCacheMaximumBytes");
    if (bytes <= 0) {
      throw new IllegalArgumentException("nearCacheMaximumBytes must be positive: " + bytes);
    }
    this.nearCacheMaximumBytes = bytes;
    return this;
  }

  /**
   * How long the near cache is served after the connection (on a cluster, each node
   * connection) last answered; default 1 s. Past it, reads go to Redis until a reply arrives
   * (an idle near cache sends a {@code PING} at half the lease). It bounds how stale a
   * near-cached value can be when invalidations cannot arrive (a silently broken connection, a
   * hung server); normally they arrive in well under a millisecond on a LAN.
   */
  public RedisStoreBuilder nearCacheLease(Duration lease) {
    once("nearCacheLease");
    this.nearCacheLease = positive("nearCacheLease", lease);
    return this;
  }

  /**
   * The built-in circuit breaker: {@code failureThreshold} consecutive failures open it for
   * {@code openDuration}; default 5 failures, 5 s. See {@link CircuitBreakerStore}.
   */
  public RedisStoreBuilder circuitBreaker(int failureThreshold, Duration openDuration) {
    once("circuitBreaker");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
    }
    this.openDuration = positive("openDuration", openDuration);
    this.failureThreshold = failureThreshold;
    return this;
  }

  /** The clock the circuit breaker's open period is timed by; default the system UTC clock. */
  public RedisStoreBuilder clock(Clock clock) {
    once("clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Time source of the near-cache lease; tests pass one they advance. */
  RedisStoreBuilder ticker(Ticker ticker) {
    once("ticker");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Lettuce resources (event loops, timers) to share with other clients; the store then does
   * not shut them down, and uses them as they are. Default: resources owned by the store,
   * reconnecting with jittered back-off of at most 1 s and sending the commands that concurrent
   * callers issue together in one socket write (Netty's {@code FlushConsolidationHandler}); to
   * get that with shared resources, build them with {@link #consolidatedFlushes()} as their
   * Netty customizer.
   */
  public RedisStoreBuilder clientResources(ClientResources resources) {
    once("clientResources");
    this.clientResources = Objects.requireNonNull(resources, "resources");
    return this;
  }

  /**
   * Builds the store and tries to connect; a store whose server is down is still built.
   *
   * @throws IllegalStateException when neither {@link #uri} nor {@link #cluster} was set,
   *     {@link #sentinelCredentials} without a Sentinel URI, or {@link #ssl} for connections none
   *     of which uses TLS
   */
  public RedisStore build() {
    if (standalone == null && clusterSeeds.isEmpty()) {
      throw new IllegalStateException("set uri(...) for a server or cluster(...) for a cluster");
    }
    if (sentinelPassword != null) {
      if (standalone == null || standalone.getSentinels().isEmpty()) {
        throw new IllegalStateException("sentinelCredentials needs a redis-sentinel:// uri");
      }
      StaticCredentialsProvider credentials =
          new StaticCredentialsProvider(RedisCredentials.just(sentinelUsername, sentinelPassword));
      for (RedisURI sentinel : standalone.getSentinels()) {
        sentinel.setCredentialsProvider(credentials);
      }
    }
    if (ssl != null && !usesTls()) {
      throw new IllegalStateException("ssl(...) needs a TLS connection: a rediss:// or"
          + " rediss-sentinel:// uri, or rediss:// cluster seeds");
    }
    boolean near = !Boolean.FALSE.equals(nearCache);
    return new RedisStore(
        new Settings(
            standalone, List.copyOf(clusterSeeds), commandTimeout, connectTimeout, near,
            nearCacheMaximumBytes, nearCacheLease, failureThreshold, openDuration, clock, ticker,
            clientResources, ssl));
  }

  private boolean usesTls() {
    if (standalone != null) {
      return standalone.isSsl() || standalone.getSentinels().stream().anyMatch(RedisURI::isSsl);
    }
    return clusterSeeds.stream().anyMatch(RedisURI::isSsl);
  }

  /**
   * A copy the store may change (it sets timeouts and Sentinel credentials on its URIs), holding
   * all that Lettuce's {@code RedisURI.builder(RedisURI)} copies plus the Sentinels, each with
   * its own TLS settings.
   */
  static RedisURI copy(RedisURI source) {
    RedisURI.Builder b = RedisURI.builder(source);
    if (source.getSentinelMasterId() != null) {
      b.withSentinelMasterId(source.getSentinelMasterId());
    }
    for (RedisURI sentinel : source.getSentinels()) {
      b.withSentinel(RedisURI.builder(sentinel).build());
    }
    RedisURI copy = b.build(); // the connectors set every timeout, so those copied are not kept
    // Building gives every Sentinel the master's TLS settings; a Sentinel may differ (plain TCP
    // Sentinels in front of TLS servers).
    for (int i = 0; i < source.getSentinels().size(); i++) {
      RedisURI sentinel = source.getSentinels().get(i);
      RedisURI copied = copy.getSentinels().get(i);
      copied.setSsl(sentinel.isSsl());
      copied.setStartTls(sentinel.isStartTls());
      copied.setVerifyPeer(sentinel.getVerifyMode());
    }
    return copy;
  }
}
