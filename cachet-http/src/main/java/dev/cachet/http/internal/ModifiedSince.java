package dev.cachet.http.internal;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code If-Modified-Since} against a stored response's {@code Last-Modified} (RFC 9110 section
 * 13.1.3). Both must be HTTP dates in one of the three forms a recipient must accept
 * ({@link HttpDate}); anything else, or several values, is ignored, so no unreadable date ever
 * turns a full response into a {@code 304}. Stateless and thread-safe.
 */
public final class ModifiedSince {
  private ModifiedSince() {}

  /**
   * Whether a request carrying {@code ifModifiedSince} (all its field lines) and no
   * {@code If-None-Match} already holds the response last modified at {@code lastModified}: true
   * when both are valid dates and the response was not modified after the request's date.
   */
  public static boolean notModified(List<String> ifModifiedSince, @Nullable String lastModified) {
    if (ifModifiedSince.size() != 1 || lastModified == null) {
      return false;
    }
    Instant since = HttpDate.parse(ifModifiedSince.get(0));
    Instant modified = HttpDate.parse(lastModified);
    return since != null && modified != null && !modified.isAfter(since);
  }
}
