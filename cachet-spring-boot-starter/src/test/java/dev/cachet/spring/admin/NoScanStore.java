package dev.cachet.spring.admin;

import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.ScanPage;
import dev.cachet.store.StoreCapability;
import dev.cachet.store.UnsupportedCapabilityException;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A store that cannot list keys, as Memcached cannot. */
final class NoScanStore extends ForwardingStore {
  NoScanStore(CacheStore delegate) {
    super(delegate);
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return EnumSet.noneOf(StoreCapability.class);
  }

  @Override
  public ScanPage scan(String pattern, @Nullable String cursor, int count) {
    throw new UnsupportedCapabilityException(StoreCapability.PATTERN_SCAN, "NoScanStore cannot list keys");
  }
}
