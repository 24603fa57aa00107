package dev.cachet.http;

import dev.cachet.http.internal.AcceptEncoding;
import dev.cachet.http.internal.ETags;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which form of a stored response one request gets: the gzip Cachet stored, for a request that
 * accepts it ({@link AcceptEncoding}), or the identity body. Each has its own strong tag: the
 * identity one is the stored {@code ETag} (computed from the identity body, or the handler's),
 * the gzip one that tag with {@code -gzip} appended inside its quotes. Neither depends on the
 * gzip bytes, which zlib versions may lay out differently, so every process derives the same
 * tags from the same body.
 *
 * @param gzip whether the gzip body is sent (with {@code Content-Encoding: gzip})
 * @param etag the tag of what is sent, or {@code null} when the stored response has none
 */
record Representation(boolean gzip, @Nullable String etag) {
  /** What is appended to the opaque part of the identity tag for the gzip one. */
  static final String GZIP_SUFFIX = "-gzip";

  /**
   * @param excludedUserAgents user agents that get the identity body whatever they accept, or
   *     {@code null} for none
   */
  static Representation of(
      StoredResponse stored, HttpRequestView request, @Nullable Pattern excludedUserAgents) {
    String identityTag = stored.headers().first("ETag");
    if (!stored.gzipped() || !AcceptEncoding.prefersGzip(request.headers("Accept-Encoding"))
        || excluded(request, excludedUserAgents)) {
      return new Representation(false, identityTag);
    }
    return new Representation(true, identityTag == null ? null : gzipTag(identityTag));
  }

  private static boolean excluded(HttpRequestView request, @Nullable Pattern excludedUserAgents) {
    if (excludedUserAgents == null) {
      return false;
    }
    List<String> agents = request.headers("User-Agent");
    return !agents.isEmpty() && excludedUserAgents.matcher(agents.get(0)).matches();
  }

  /** {@code "x"} becomes {@code "x-gzip"}, {@code W/"x"} becomes {@code W/"x-gzip"}. */
  static String gzipTag(String identityTag) {
    String t = identityTag.trim();
    if (!ETags.isWellFormed(t)) {
      return t; // not a tag a client can match anyway; kept as the handler wrote it
    }
    return t.substring(0, t.length() - 1) + GZIP_SUFFIX + '"';
  }

  /** The body sent for {@code GET}. */
  Body body(StoredResponse stored) {
    return gzip ? stored.bodyView() : stored.identityBodyView();
  }

  /** Its length, for {@code Content-Length} (of {@code HEAD} too, without inflating anything). */
  int length(StoredResponse stored) {
    return gzip ? stored.bodyLength() : stored.identityLength();
  }
}
