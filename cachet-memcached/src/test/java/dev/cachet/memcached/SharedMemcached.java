package dev.cachet.memcached;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@code memcached} server for a test class. Register it as a static
 * {@code @RegisterExtension} field; the server runs from before the first test to after the last
 * (after the class's own {@code @AfterAll} methods, which may still read it).
 */
final class SharedMemcached implements BeforeAllCallback, AfterAllCallback {
  MemcachedServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = MemcachedServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }
}
