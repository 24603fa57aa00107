package dev.cachet.redis;

import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real three-master Redis Cluster for a test class, and the Lettuce resources its stores may
 * share (as {@link SharedRedis} has). Register it as a static {@code @RegisterExtension} field;
 * the fields are set before the first test and closed after the last.
 */
final class SharedRedisCluster implements BeforeAllCallback, AfterAllCallback {
  RedisClusterProcess cluster;
  ClientResources resources;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = RedisClusterProcess.start();
    resources = SharedRedis.sharedResources();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    cluster.close();
  }
}
