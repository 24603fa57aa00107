package dev.cachet.testing;

import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.ScanPage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A store that can be switched "down": every call then throws, as a dead server's would. */
public final class FlakyStore extends ForwardingStore {
  private volatile boolean down;
  public final AtomicInteger calls = new AtomicInteger();

  public FlakyStore(CacheStore delegate) {
    super(delegate);
  }

  public void down(boolean down) {
    this.down = down;
  }

  private void check() {
    calls.incrementAndGet();
    if (down) {
      throw new IllegalStateException("connection refused (test)");
    }
  }

  @Override
  public byte @Nullable [] get(String key) {
    check();
    return super.get(key);
  }

  @Override
  public void put(String key, byte[] value, Duration ttl) {
    check();
    super.put(key, value, ttl);
  }

  @Override
  public boolean delete(String key) {
    check();
    return super.delete(key);
  }

  @Override
  public long[] getVersions(List<String> keys) {
    check();
    return super.getVersions(keys);
  }

  @Override
  public void setVersion(String key, long version, Duration ttl) {
    check();
    super.setVersion(key, version, ttl);
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    check();
    return super.scan(pattern, cursor, count);
  }

  @Override
  public long setVersionIfAbsent(String key, long version, Duration ttl) {
    check();
    return super.setVersionIfAbsent(key, version, ttl);
  }
}
