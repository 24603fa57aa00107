package dev.cachet.http.internal;

import dev.cachet.http.HttpHeaders;
import dev.cachet.http.HttpRequestView;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The paths of other resources a successful write says it changed (RFC 9111, section 4.4): the
 * {@code Location} of a {@code 2xx} answer (a {@code 201 Created}'s new resource) and its
 * {@code Content-Location}, resolved against the request's path.
 *
 * <p>Two limits keep a client from steering invalidation where it likes. A reference to another
 * host than the request's ({@code Host}, {@code X-Forwarded-Host}, {@code Forwarded: host=}) is
 * ignored, as RFC 9111 requires. The {@code Location} of a {@code 3xx} is ignored too: a redirect
 * names where to go next, not what changed, and login forms commonly redirect to a place the
 * client chose. Thread-safe (stateless).
 */
public final class ChangedLocations {
  private static final String[] HEADERS = {"Location", "Content-Location"};

  private ChangedLocations() {}

  /**
   * The raw (still encoded) paths named by {@code response}'s {@code Location} and
   * {@code Content-Location}, for a write to {@code request} answered with {@code status}; empty
   * unless the status is {@code 2xx}. Malformed references are ignored.
   */
  public static List<String> of(HttpRequestView request, int status, HttpHeaders response) {
    if (status < 200 || status >= 300 || response.isEmpty()) {
      return List.of();
    }
    List<String> paths = new ArrayList<>(2);
    for (String name : HEADERS) {
      String value = response.first(name);
      String path = value == null ? null : pathOf(request, value.trim());
      if (path != null && !paths.contains(path)) {
        paths.add(path);
      }
    }
    return paths;
  }

  private static @Nullable String pathOf(HttpRequestView request, String reference) {
    URI target;
    try {
      URI base = new URI("http", "base.invalid", null, null).resolve(request.rawPath());
      target = base.resolve(new URI(reference));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null; // not a URI reference: names nothing
    }
    String scheme = target.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return null;
    }
    String host = target.getHost();
    if (host == null || !(host.equals("base.invalid") || isRequestHost(request, host))) {
      return null;
    }
    String path = target.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** Whether {@code host} is the host the request was sent to, directly or through a proxy. */
  private static boolean isRequestHost(HttpRequestView request, String host) {
    for (String value : request.headers("Host")) {
      if (host.equalsIgnoreCase(hostPart(value))) {
        return true;
      }
    }
    for (String value : request.headers("X-Forwarded-Host")) {
      for (String one : value.split(",")) {
        if (host.equalsIgnoreCase(hostPart(one))) {
          return true;
        }
      }
    }
    for (String value : request.headers("Forwarded")) {
      String elements = ForwardedOrigin.of(value);
      if (elements == null) {
        continue;
      }
      for (String element : elements.split(",")) {
        for (String parameter : element.split(";")) {
          if (parameter.startsWith("host=") && host.equalsIgnoreCase(hostPart(parameter.substring(5)))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The host of an authority {@code host[:port]}, an IPv6 literal keeping its brackets. */
  private static String hostPart(String authority) {
    String a = authority.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(0, end + 1);
    }
    int colon = a.indexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }
}
