package dev.cachet.memcached;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two real {@code memcached} servers for a test class. Register it as a static
 * {@code @RegisterExtension} field; the servers run from before the first test to after the last
 * (after the class's own {@code @AfterAll} methods, which may still read them).
 */
final class TwoMemcached implements BeforeAllCallback, AfterAllCallback {
  MemcachedServer first;
  MemcachedServer second;

  @Override
  public void beforeAll(ExtensionContext context) {
    first = MemcachedServer.start();
    second = MemcachedServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    first.close();
    second.close();
  }

  /** Both servers' addresses, for {@link MemcachedStoreBuilder#servers}. */
  String addresses() {
    return first.address() + "," + second.address();
  }
}
