package dev.cachet.spring.web;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code cachet.http.compression.*}. Cached responses follow Spring Boot's
 * {@code server.compression.*} (enabled, mime-types, min-response-size) unless these say
 * otherwise; only the switch and the deflate level are Cachet's own.
 */
@ConfigurationProperties("cachet.http.compression")
public class CachetCompressionProperties {
  /**
   * Whether cached responses are stored gzip-compressed and served so to clients that accept
   * gzip. Unset: the same as server.compression.enabled. Media types and the minimum size are
   * server.compression.mime-types and server.compression.min-response-size.
   */
  private @Nullable Boolean enabled;

  /**
   * Deflate level of stored responses, 1 (fastest) to 9 (smallest), or -1 for zlib's default (6).
   * A response is compressed once, when it is stored, not on every hit.
   */
  private int level = -1;

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public int getLevel() {
    return level;
  }

  public void setLevel(int level) {
    this.level = level;
  }
}
