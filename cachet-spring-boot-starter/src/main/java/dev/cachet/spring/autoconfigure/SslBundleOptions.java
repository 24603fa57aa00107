package dev.cachet.spring.autoconfigure;

import io.lettuce.core.SslOptions;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * Lettuce's TLS options read from a Spring Boot SSL bundle: its trust managers (the CA to trust),
 * its key managers (a client certificate, for servers that require one), and its enabled
 * protocols and cipher suites when it names them, as Spring Boot's own Lettuce client reads one.
 */
final class SslBundleOptions {
  private SslBundleOptions() {}

  static SslOptions of(SslBundle bundle) {
    SslManagerBundle managers = bundle.getManagers();
    SslOptions.Builder options = SslOptions.builder()
        .trustManager(managers.getTrustManagerFactory())
        .keyManager(managers.getKeyManagerFactory());
    org.springframework.boot.ssl.SslOptions named = bundle.getOptions();
    if (named.getEnabledProtocols() != null) {
      options.protocols(named.getEnabledProtocols());
    }
    if (named.getCiphers() != null) {
      options.cipherSuites(named.getCiphers());
    }
    return options.build();
  }
}
