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
}
