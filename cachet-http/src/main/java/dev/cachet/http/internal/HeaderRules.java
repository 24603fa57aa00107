package dev.cachet.http.internal;

import dev.cachet.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which response headers are stored and replayed, and how computed ones are written. Thread-safe. */
public final class HeaderRules {
  /**
   * Never stored: hop-by-hop headers (RFC 9110 section 7.6.1), per-client state, what is
   * computed when the response is served, and {@code Accept-Ranges}, since a replay always sends
   * the whole body whatever the request's {@code Range} (section 14.3: it would advertise what
   * the cache does not do). {@code Date} is stored: a replay sends it with its {@code Age}; so are
   * inner caches' {@code Cache-Status} members, which a replay sends before Cachet's own (RFC
   * 9211 section 2: a cache adding its member preserves those already there).
   */
  private static final Set<String> NOT_STORED = Set.of(
      "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
      "set-cookie", "set-cookie2", "age", "content-length", "x-cache", "accept-ranges");

  /** IMF-fixdate, RFC 9110 section 5.6.7: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /**
   * Headers a {@code 304} carries from the response it stands for (RFC 9110 section 15.4.5), and
   * the inner caches' {@code Cache-Status} members, as its {@code 200} would.
   */
  private static final Set<String> NOT_MODIFIED_KEEPS = Set.of(
      "cache-control", "content-location", "etag", "expires", "vary", "cache-status");

  private HeaderRules() {}

  /** {@code headers} without those that must not be stored or replayed. */
  public static HttpHeaders replayable(HttpHeaders headers) {
    Set<String> named = new HashSet<>();
    for (String line : headers.all("Connection")) {
      for (String token : line.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          named.add(t);
        }
      }
    }
    HttpHeaders.Builder out = HttpHeaders.builder();
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (NOT_STORED.contains(lower) || lower.startsWith("proxy-") || named.contains(lower)) {
        return;
      }
      values.forEach(v -> out.add(name, v));
    });
    return out.build();
  }

  /** The headers of a {@code 304} standing for a response with {@code headers}. */
  public static HttpHeaders.Builder notModified(HttpHeaders headers) {
    HttpHeaders.Builder out = HttpHeaders.builder();
    headers.forEach((name, values) -> {
      if (NOT_MODIFIED_KEEPS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> out.add(name, v));
      }
    });
    return out;
  }

  /**
   * {@code instant} as an IMF-fixdate (RFC 9110 section 5.6.7, which senders must use: a
   * two-digit day), for any date; {@link #httpDate} for the current time.
   */
  public static String formatDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  /** The current time {@code instant} as an IMF-fixdate, formatted once per second. */
  public static String httpDate(Instant instant) {
    // One formatting per second, not per response: the last second's text is reused.
    long second = instant.getEpochSecond();
    CachedDate cached = lastDate;
    if (cached == null || cached.second != second) {
      cached = new CachedDate(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
      lastDate = cached;
    }
    return cached.text;
  }

  private record CachedDate(long second, String text) {}

  private static volatile @org.jspecify.annotations.Nullable CachedDate lastDate;

  /**
   * Those of {@code names} (lower case) that {@code varyLines} do not list yet: what a response
   * must add to its {@code Vary}; none when it says {@code *}.
   */
  public static List<String> notInVary(List<String> varyLines, List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    Set<String> present = varyNames(varyLines);
    if (present.contains("*")) {
      return List.of();
    }
    return names.stream().filter(n -> !present.contains(n)).toList();
  }

  /** The lower-case names a {@code Vary} header lists; {@code *} stays {@code *}. */
  public static Set<String> varyNames(List<String> varyLines) {
    Set<String> names = new HashSet<>();
    for (String line : varyLines) {
      for (String token : line.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }
}
