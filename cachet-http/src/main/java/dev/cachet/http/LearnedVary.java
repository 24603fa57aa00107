package dev.cachet.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request headers each route's responses named in {@code Vary} beyond the route's own
 * vary-by headers, which that route's keys then include, as a shared HTTP cache matches a
 * stored response's {@code Vary} (RFC 9111, section 4.1).
 *
 * <p>The response that teaches a header is not stored: its key lacked the header. From the next
 * request on, the route's keys carry the header's value, and responses that vary by it are
 * stored per value. Spring's CORS support is the common case: it adds {@code Vary: Origin,
 * Access-Control-Request-Method, Access-Control-Request-Headers} to every response of a route
 * with a CORS configuration, so without this such routes would never be stored.
 *
 * <p>Never learned: {@code *} (nothing can match it), credentials ({@code Authorization},
 * {@code Cookie}, {@code Proxy-Authorization}: their values would become part of keys, which
 * the admin API shows; routes that depend on the caller vary by principal instead), and more than
 * {@value #MAX_PER_ROUTE} headers per route. Learned headers stay for the life of the process.
 * Bounded: past {@value #MAX_ROUTES} routes the memo starts over. Thread-safe.
 */
final class LearnedVary {
  static final int MAX_ROUTES = 10_000;
  static final int MAX_PER_ROUTE = 8;
  private static final Set<String> NEVER =
      Set.of("*", "authorization", "cookie", "proxy-authorization");

  /**
   * Per route that learned anything, every header its keys vary by: its own and the learned ones,
   * merged and sorted once here rather than on every read. Replaced whole, so readers need no lock.
   */
  private final ConcurrentHashMap<RouteIdentity, List<String>> learned = new ConcurrentHashMap<>();

  /**
   * The headers {@code route}'s keys vary by, lower case and sorted: its own
   * {@link RoutePolicy#varyByHeaders()} and those it learned.
   */
  List<String> of(RoutePolicy route) {
    if (learned.isEmpty()) {
      return route.varyByHeaders(); // the usual case: no route has taught anything
    }
    return learned.getOrDefault(new RouteIdentity(route), route.varyByHeaders());
  }

  /**
   * Learns the names in {@code vary} that {@code route}'s keys do not vary by yet.
   *
   * @return whether every name is now covered, so that the route's next responses that vary by
   *     the same headers can be stored
   */
  boolean learn(RoutePolicy route, Set<String> vary) {
    RouteIdentity key = new RouteIdentity(route);
    List<String> known = of(route);
    TreeSet<String> names = new TreeSet<>(known);
    for (String name : vary) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (NEVER.contains(lower)) {
        return false;
      }
      names.add(lower);
    }
    int own = route.varyByHeaders().size();
    if (names.size() - own > MAX_PER_ROUTE) {
      return false;
    }
    if (names.size() > known.size()) {
      if (!learned.containsKey(key) && learned.size() >= MAX_ROUTES) {
        learned.clear(); // many routes: a plain bound beats an eviction policy here
      }
      // A racing learner's names are kept too, within the bound.
      learned.merge(key, List.copyOf(names), (a, b) -> union(a, b, own));
    }
    return true;
  }

  private static List<String> union(List<String> a, List<String> b, int own) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all.size() - own > MAX_PER_ROUTE ? a : List.copyOf(all);
  }
}
