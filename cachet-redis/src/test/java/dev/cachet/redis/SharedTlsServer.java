package dev.cachet.redis;

import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The certificates of a private CA ({@link TestCertificates}) and a real server started with
 * them (a {@link RedisServerProcess}, a {@link RedisClusterProcess}), for one test class. Register
 * it as a static {@code @RegisterExtension} field; the fields are set before the first test and
 * closed after the last.
 *
 * @param <S> the server
 */
final class SharedTlsServer<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
  private final Function<TestCertificates, S> start;
  TestCertificates certs;
  S server;

  /** {@code start} starts the server with the certificates it is given. */
  SharedTlsServer(Function<TestCertificates, S> start) {
    this.start = start;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    certs = TestCertificates.generate();
    server = start.apply(certs);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
    if (certs != null) {
      certs.close();
    }
  }
}
