package dev.cachet.http.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code If-Modified-Since} against a stored response's {@code Last-Modified} (RFC 9110 section
 * 13.1.3). Only an IMF-fixdate on both sides counts (the date a server sends, and that clients
 * echo back); anything else, or several values, is ignored, so no unreadable date ever turns a
 * full response into a {@code 304}. Stateless and thread-safe.
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
    Instant since = parse(ifModifiedSince.get(0));
    Instant modified = parse(lastModified);
    return since != null && modified != null && !modified.isAfter(since);
  }

  private static @Nullable Instant parse(String httpDate) {
    String s = httpDate.trim();
    if (!s.endsWith(" GMT")) {
      return null;
    }
    try {
      return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }
}
