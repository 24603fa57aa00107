package dev.cachet.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code cachet.*}; environment variables bind too ({@code CACHET_ENABLED=false},
 * {@code CACHET_DEFAULT_TTL=30s}, {@code CACHET_STORE=redis}).
 */
@ConfigurationProperties("cachet")
public class CachetProperties {
  /**
   * Whether caching is on; when off every annotation and the Cachet bean become no-ops, no store is
   * built or connected, and the health indicator is UP without asking a store.
   */
  private boolean enabled = true;

  /** Namespace of every key in the store; several applications can share one store. */
  private String namespace = "cachet";

  /** Time to live of entries whose annotation names none. */
  private Duration defaultTtl = Duration.ofSeconds(60);

  /** How long a caller waits for a concurrent load of the same key before loading itself. */
  private Duration maxWait = Duration.ofSeconds(10);

  /**
   * How long the store keeps a tag version no load has used; loads keep the ones in use alive.
   * An expired version costs its entries a reload, never a stale hit.
   */
  private Duration versionTtl = Duration.ofDays(1);

  /** Which store holds the entries. */
  private StoreType store = StoreType.MEMORY;

  private final Memory memory = new Memory();

  private final Http http = new Http();

  private final Redis redis = new Redis();

  private final Memcached memcached = new Memcached();

  private final Fallback fallback = new Fallback();

  /** Settings of the Redis store ({@code cachet.store=redis}). */
  public static class Redis {
    /**
     * Server URL: redis://[user:password@]host:port[/database], rediss:// for TLS,
     * redis-sentinel://host:port[,host:port]?sentinelMasterId=name for a Sentinel-managed master,
     * or rediss-sentinel:// for one whose Sentinels and servers speak TLS. No default: when unset
     * or blank (and cluster-nodes empty), Spring Boot's Redis connection is used first
     * (spring.data.redis.* or a service connection) if the application has
     * spring-boot-data-redis, and only without one redis://localhost:6379.
     */
    private @Nullable String url;

    /** Seed URLs of a Redis Cluster; when set, url and Spring Boot's Redis connection are not used. */
    private java.util.List<String> clusterNodes = new java.util.ArrayList<>();

    /** Whether a local near cache, kept coherent by Redis client tracking, fronts Redis. */
    private boolean nearCache = true;

    /** Upper bound of the near cache's size. */
    private DataSize nearCacheMaxSize = DataSize.ofMegabytes(32);

    /** How long one command may take before it counts as a failure (read as a miss). */
    private Duration commandTimeout = Duration.ofMillis(250);

    /** ACL user of the Sentinels themselves, with sentinel-password; unset for the default user. */
    private @Nullable String sentinelUsername;

    /**
     * Password the Sentinels themselves require, for a redis-sentinel:// url (whose own password
     * is the master's).
     */
    private @Nullable String sentinelPassword;

    /**
     * Name of an SSL bundle (spring.ssl.bundle.*) whose trust material (a private CA) and key
     * material (a client certificate) the store's TLS connections use: those of a rediss:// url
     * (of a rediss-sentinel:// url, to the Sentinels and to the master alike) or cluster-nodes,
     * or of Spring Boot's Redis connection, whose own spring.data.redis.ssl.bundle it then
     * replaces. Unset: the JVM's default trust, or Spring Boot's bundle when its connection is
     * used.
     */
    private @Nullable String sslBundle;

    public @Nullable String getSslBundle() {
      return sslBundle;
    }

    public void setSslBundle(@Nullable String sslBundle) {
      this.sslBundle = sslBundle;
    }

    public @Nullable String getSentinelUsername() {
      return sentinelUsername;
    }

    public void setSentinelUsername(@Nullable String sentinelUsername) {
      this.sentinelUsername = sentinelUsername;
    }

    public @Nullable String getSentinelPassword() {
      return sentinelPassword;
    }

    public void setSentinelPassword(@Nullable String sentinelPassword) {
      this.sentinelPassword = sentinelPassword;
    }

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public java.util.List<String> getClusterNodes() {
      return clusterNodes;
    }

    public void setClusterNodes(java.util.List<String> clusterNodes) {
      this.clusterNodes = clusterNodes;
    }

    public boolean isNearCache() {
      return nearCache;
    }

    public void setNearCache(boolean nearCache) {
      this.nearCache = nearCache;
    }

    public DataSize getNearCacheMaxSize() {
      return nearCacheMaxSize;
    }

    public void setNearCacheMaxSize(DataSize nearCacheMaxSize) {
      this.nearCacheMaxSize = nearCacheMaxSize;
    }

    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }
  }

  /** Settings of the Memcached store ({@code cachet.store=memcached}). */
  public static class Memcached {
    /** Servers as host:port,host:port. */
    private String servers = "localhost:11211";

    /** How long one operation may take before it counts as a failure (read as a miss). */
    private Duration operationTimeout = Duration.ofMillis(250);

    public String getServers() {
      return servers;
    }

    public void setServers(String servers) {
      this.servers = servers;
    }

    public Duration getOperationTimeout() {
      return operationTimeout;
    }

    public void setOperationTimeout(Duration operationTimeout) {
      this.operationTimeout = operationTimeout;
    }
  }

  /** A local memory store that serves while a remote store is down. */
  public static class Fallback {
    /** Whether a remote store falls back to a local memory store while it fails. */
    private boolean enabled = true;

    /** Longest time an entry lives in the fallback, so that what it serves stays recent. */
    private Duration maxTtl = Duration.ofSeconds(30);

    /** Upper bound of the fallback store's entries; their tag versions take up to a quarter more. */
    private DataSize maxSize = DataSize.ofMegabytes(64);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getMaxTtl() {
      return maxTtl;
    }

    public void setMaxTtl(Duration maxTtl) {
      this.maxTtl = maxTtl;
    }

    public DataSize getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
      this.maxSize = maxSize;
    }
  }

  /** Settings of the HTTP response cache ({@code @CacheResponse}). */
  public static class Http {
    /** Whether @CacheResponse and write invalidation are active in web applications. */
    private boolean enabled = true;

    /** Largest response body stored; larger ones stream to the client untouched. */
    private DataSize maxBodySize = DataSize.ofMegabytes(10);

    /**
     * Whether a request's "Cache-Control: no-cache" (or "Pragma: no-cache" without Cache-Control)
     * skips the stored response and stores the fresh one.
     */
    private boolean honourNoCache = true;

    /** Whether a request's "Cache-Control: no-store" skips the cache entirely: no read, no write. */
    private boolean honourNoStore = true;

    /** Query parameters left out of keys, as globs (* any run, ? one character); default utm_*. */
    private java.util.List<String> ignoredParameters = new java.util.ArrayList<>(java.util.List.of("utm_*"));

    /**
     * What a successful write invalidates automatically: none, resource-and-ancestors (the
     * resource, its subtree and its exact ancestors), parent-collection (also its siblings) or
     * whole-collection (everything under every ancestor).
     */
    private dev.cachet.http.HierarchyMode hierarchy = dev.cachet.http.HierarchyMode.RESOURCE_AND_ANCESTORS;

    /** Response Vary headers that do not stop a response from being stored. */
    private java.util.List<String> ignoredVaryHeaders = new java.util.ArrayList<>();

    /** Whether the X-Cache and Cache-Status response headers are sent. */
    private boolean statusHeaders = true;

    /**
     * Whether a per-caller response whose handler set no Cache-Control is sent with
     * "Cache-Control: private". Unset: yes, unless Spring Security's filter chain is present,
     * whose default headers ("no-cache, no-store, ...") are written only on responses without one.
     */
    private @Nullable Boolean privateWhenUnset;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public DataSize getMaxBodySize() {
      return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
      this.maxBodySize = maxBodySize;
    }

    public boolean isHonourNoCache() {
      return honourNoCache;
    }

    public void setHonourNoCache(boolean honourNoCache) {
      this.honourNoCache = honourNoCache;
    }

    public boolean isHonourNoStore() {
      return honourNoStore;
    }

    public void setHonourNoStore(boolean honourNoStore) {
      this.honourNoStore = honourNoStore;
    }

    public java.util.List<String> getIgnoredParameters() {
      return ignoredParameters;
    }

    public void setIgnoredParameters(java.util.List<String> ignoredParameters) {
      this.ignoredParameters = ignoredParameters;
    }

    public dev.cachet.http.HierarchyMode getHierarchy() {
      return hierarchy;
    }

    public void setHierarchy(dev.cachet.http.HierarchyMode hierarchy) {
      this.hierarchy = hierarchy;
    }

    public java.util.List<String> getIgnoredVaryHeaders() {
      return ignoredVaryHeaders;
    }

    public void setIgnoredVaryHeaders(java.util.List<String> ignoredVaryHeaders) {
      this.ignoredVaryHeaders = ignoredVaryHeaders;
    }

    public boolean isStatusHeaders() {
      return statusHeaders;
    }

    public void setStatusHeaders(boolean statusHeaders) {
      this.statusHeaders = statusHeaders;
    }

    public @Nullable Boolean getPrivateWhenUnset() {
      return privateWhenUnset;
    }

    public void setPrivateWhenUnset(@Nullable Boolean privateWhenUnset) {
      this.privateWhenUnset = privateWhenUnset;
    }
  }

  /** The stores Cachet can use. */
  public enum StoreType {
    /** The embedded in-heap store (Caffeine); entries are per instance. */
    MEMORY,
    /** Redis, standalone or cluster ({@code cachet-redis} on the class path). */
    REDIS,
    /** Memcached ({@code cachet-memcached} on the class path). */
    MEMCACHED
  }

  /** Settings of the embedded memory store. */
  public static class Memory {
    /**
     * Upper bound of the memory store's entries: keys, values and per-entry overhead; their tag
     * versions take up to a quarter more. Leave room for both in the heap.
     */
    private DataSize maxSize = DataSize.ofMegabytes(256);

    public DataSize getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
      this.maxSize = maxSize;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public Duration getDefaultTtl() {
    return defaultTtl;
  }

  public void setDefaultTtl(Duration defaultTtl) {
    this.defaultTtl = defaultTtl;
  }

  public Duration getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  public Duration getVersionTtl() {
    return versionTtl;
  }

  public void setVersionTtl(Duration versionTtl) {
    this.versionTtl = versionTtl;
  }

  public StoreType getStore() {
    return store;
  }

  public void setStore(StoreType store) {
    this.store = store;
  }

  public Memory getMemory() {
    return memory;
  }

  public Http getHttp() {
    return http;
  }

  public Redis getRedis() {
    return redis;
  }

  public Memcached getMemcached() {
    return memcached;
  }

  public Fallback getFallback() {
    return fallback;
  }
}
