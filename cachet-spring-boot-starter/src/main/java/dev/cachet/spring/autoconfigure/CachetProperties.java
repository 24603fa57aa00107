package dev.cachet.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code cachet.*}; environment variables bind too ({@code CACHET_ENABLED=false},
 * {@code CACHET_DEFAULT_TTL=30s}, {@code CACHET_STORE=redis}).
 */
@ConfigurationProperties("cachet")
public class CachetProperties {
  /** Whether caching is on; when off every annotation and the Cachet bean become no-ops. */
  private boolean enabled = true;

  /** Namespace of every key in the store; several applications can share one store. */
  private String namespace = "cachet";

  /** Time to live of entries whose annotation names none. */
  private Duration defaultTtl = Duration.ofSeconds(60);

  /** How long a caller waits for a concurrent load of the same key before loading itself. */
  private Duration maxWait = Duration.ofSeconds(10);

  /** Which store holds the entries. */
  private StoreType store = StoreType.MEMORY;

  private final Memory memory = new Memory();

  private final Http http = new Http();

  /** Settings of the HTTP response cache ({@code @CacheResponse}). */
  public static class Http {
    /** Whether {@code @CacheResponse} and write invalidation are active in web applications. */
    private boolean enabled = true;

    /** Largest response body stored; larger ones stream to the client untouched. */
    private DataSize maxBodySize = DataSize.ofMegabytes(10);

    /** Whether a request's {@code Cache-Control: no-cache} skips the stored response. */
    private boolean honourNoCache = true;

    /** Whether a request's {@code Cache-Control: no-store} skips the cache entirely. */
    private boolean honourNoStore = true;

    /** Query parameters left out of keys, as globs (e.g. {@code utm_*}). */
    private java.util.List<String> ignoredParameters = new java.util.ArrayList<>(java.util.List.of("utm_*"));

    /** What a successful write invalidates automatically. */
    private dev.cachet.http.HierarchyMode hierarchy = dev.cachet.http.HierarchyMode.RESOURCE_AND_ANCESTORS;

    /** Response {@code Vary} headers that do not stop a response from being stored. */
    private java.util.List<String> ignoredVaryHeaders = new java.util.ArrayList<>();

    /** Whether {@code X-Cache} and {@code Cache-Status} are sent. */
    private boolean statusHeaders = true;

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
    /** Upper bound of the memory store's size: keys, values and per-entry overhead. */
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
}
