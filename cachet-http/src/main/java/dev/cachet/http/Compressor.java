package dev.cachet.http;

import dev.cachet.http.internal.HeaderRules;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a response about to be stored into its gzip form where the {@link Compression} policy
 * says, once per stored response, so that hits never compress. Thread-safe.
 */
final class Compressor {
  private static final List<String> ACCEPT_ENCODING = List.of("accept-encoding");

  private Compressor() {}

  /**
   * The stored form of a response with this status, replayable {@code headers} (its {@code ETag}
   * already computed from the identity body) and {@code body}, gzip-compressed; or {@code null}
   * when the policy does not apply or gzip would not make it smaller.
   */
  static @Nullable StoredResponse compress(Compression policy, int status, HttpHeaders headers, Body body) {
    if (!policy.applies(headers, body.length())) {
      return null;
    }
    Body gzipped = GzipBodies.gzip(body, policy.level());
    if (gzipped.length() >= body.length()) {
      return null; // already compressed data under a text type: stored as it is, no Vary
    }
    return StoredResponse.wrapGzipped(status, withVaryAcceptEncoding(headers), gzipped, body.length(), body);
  }

  /**
   * {@code headers} whose {@code Vary} also lists {@code Accept-Encoding}: every response of a
   * compressed entry says so, whichever form it sends, since the other form answers other
   * requests. Stored that way, so hits merge nothing.
   */
  static HttpHeaders withVaryAcceptEncoding(HttpHeaders headers) {
    if (HeaderRules.notInVary(headers.all("Vary"), ACCEPT_ENCODING).isEmpty()) {
      return headers;
    }
    return headers.toBuilder().add("Vary", "Accept-Encoding").build();
  }
}
