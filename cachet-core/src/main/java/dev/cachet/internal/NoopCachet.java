package dev.cachet.internal;

import dev.cachet.AsyncCacheLoader;
import dev.cachet.AsyncEntryLoader;
import dev.cachet.CacheLoader;
import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import dev.cachet.CacheResult;
import dev.cachet.CacheStats;
import dev.cachet.Cachet;
import dev.cachet.Codec;
import dev.cachet.EntryLoader;
import dev.cachet.store.StoreCapability;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A cache that caches nothing: every read loads, every write and invalidation does nothing. */
public final class NoopCachet implements Cachet {
  public static final NoopCachet INSTANCE = new NoopCachet();

  private NoopCachet() {}

  @Override
  public <V> @Nullable V get(String key, Codec<V> codec, CachePolicy policy, CacheLoader<? extends V> loader) {
    Objects.requireNonNull(key, "key");
    try {
      return loader.load();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException(key, e);
    }
  }

  @Override
  public <V> @Nullable V get(String key, Codec<V> codec, CacheLoader<? extends V> loader) {
    return get(key, codec, CachePolicy.ofTtl(java.time.Duration.ofSeconds(1)), loader);
  }

  @Override
  public <V> CacheResult<V> fetch(String key, Codec<V> codec, CachePolicy policy, EntryLoader<V> loader) {
    Objects.requireNonNull(key, "key");
    try {
      return new CacheResult<>(loader.load().value(), CacheResult.Status.MISS, Instant.now());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException(key, e);
    }
  }

  @Override
  public <V> CompletableFuture<CacheResult<V>> fetchAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncEntryLoader<V> loader) {
    Objects.requireNonNull(key, "key");
    try {
      return loader.load().thenApply(loaded -> new CacheResult<>(loaded.value(), CacheResult.Status.MISS, Instant.now()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new CacheLoaderException(key, e));
    }
  }

  @Override
  public <V> CompletableFuture<@Nullable V> getAsync(
      String key, Codec<V> codec, CachePolicy policy, AsyncCacheLoader<? extends V> loader) {
    Objects.requireNonNull(key, "key");
    return loader.load().thenApply(v -> v);
  }

  @Override
  public <V> @Nullable V getIfPresent(String key, Codec<V> codec) {
    return null;
  }

  @Override
  public <V> @Nullable CacheResult<V> peek(String key, Codec<V> codec) {
    return null;
  }

  @Override
  public <V> void put(String key, V value, Codec<V> codec, CachePolicy policy) {}

  @Override
  public boolean exists(String key) {
    return false;
  }

  @Override
  public boolean delete(String key) {
    return false;
  }

  @Override
  public long deleteByPattern(String pattern) {
    return 0;
  }

  @Override
  public long invalidatePrefix(String prefix) {
    return 0;
  }

  @Override
  public void clear() {}

  @Override
  public void invalidateTags(Collection<String> tags) {}

  @Override
  public void softInvalidateTags(Collection<String> tags) {}

  @Override
  public dev.cachet.KeyPage keys(String pattern, @Nullable String cursor, int limit) {
    return new dev.cachet.KeyPage(java.util.List.of(), null);
  }

  @Override
  public CacheStats stats() {
    return new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Override
  public String namespace() {
    return "";
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return Set.of(StoreCapability.PATTERN_SCAN);
  }

  @Override
  public void close() {}
}
