package dev.cachet.http.internal;

import dev.cachet.http.HierarchyMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The automatic path tags. A stored read of {@code /a/b/c} carries {@code p:/a/b/c} (this exact
 * path, any query) and the subtree tags {@code t:/a}, {@code t:/a/b}, {@code t:/a/b/c} (one per
 * ancestor-or-self prefix); a trailing slash is ignored, and the root carries only {@code p:/}
 * (so that a write to {@code /} does not empty the whole cache), and writes never invalidate the
 * root as an ancestor. Writes pick from the same tags,
 * so invalidation costs one version bump per tag, on any store.
 *
 * <p>Subtree tags stop at {@value #MAX_DEPTH} segments: a read deeper than that carries the
 * subtree tags of its first {@value #MAX_DEPTH} prefixes only, and a write deeper than that
 * invalidates the subtree of its {@value #MAX_DEPTH}-segment prefix in place of its own and of its
 * deeper ancestors (more than it needs, never less). So no path costs more than
 * {@value #MAX_DEPTH} + 1 tags, however deep a client makes it: each tag is two version keys in
 * the store, created on a miss. Thread-safe.
 */
public final class PathTags {
  public static final String EXACT = "p:";
  public static final String SUBTREE = "t:";
  /** The deepest prefix that has a subtree tag of its own. */
  public static final int MAX_DEPTH = 16;

  private PathTags() {}

  private static String prefix(List<String> segments, int count) {
    if (count == 0) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append('/').append(segments.get(i));
    }
    return sb.toString();
  }

  /** The tags a stored read of {@code path} carries. */
  public static List<String> forRead(PathNormalizer.CanonicalPath path) {
    List<String> segments = path.segments();
    int deepest = Math.min(segments.size(), MAX_DEPTH);
    List<String> tags = new ArrayList<>(deepest + 1);
    tags.add(EXACT + prefix(segments, segments.size()));
    for (int i = 1; i <= deepest; i++) {
      tags.add(SUBTREE + prefix(segments, i));
    }
    return tags;
  }

  /**
   * The tags a successful write to the raw path {@code rawPath} (as sent, still encoded; its query
   * plays no part) invalidates in {@code mode}. The {@code ;} parameters of its segments are left
   * out first, as servlet containers and Spring MVC leave them out when they match it, so a write
   * to {@code /items/1;x=1} invalidates {@code /items/1}. A path fit for a key ({@link
   * PathNormalizer#forKey}) gets the tags of its canonical form. Any other path may address
   * different resources in different frameworks, so it gets the tags of every reading: its
   * resolved form ({@link PathNormalizer#resolve}, what a server that resolves dot segments
   * addresses), if it has one, and its {@linkplain PathNormalizer#regularPrefix regular prefix},
   * whose subtree holds whatever a framework matching the raw segments (Spring MVC) addresses.
   * Never nothing because the path is odd: a write that succeeded changed something.
   */
  public static Set<String> forWrite(String rawPath, HierarchyMode mode) {
    rawPath = PathNormalizer.withoutParameters(rawPath);
    PathNormalizer.CanonicalPath exact = PathNormalizer.forKey(rawPath);
    if (exact != null) {
      return forWrite(exact, mode);
    }
    Set<String> tags = new LinkedHashSet<>();
    PathNormalizer.CanonicalPath resolved = PathNormalizer.resolve(rawPath);
    if (resolved != null) {
      tags.addAll(forWrite(resolved, mode));
    }
    tags.addAll(forWrite(PathNormalizer.regularPrefix(rawPath), mode));
    return tags;
  }

  /** The tags a successful write to {@code path} invalidates in {@code mode}. */
  public static Set<String> forWrite(PathNormalizer.CanonicalPath path, HierarchyMode mode) {
    List<String> segments = path.segments();
    int n = segments.size();
    Set<String> tags = new LinkedHashSet<>();
    if (mode == HierarchyMode.NONE) {
      return tags;
    }
    // The resource and everything below it; past MAX_DEPTH, the deepest subtree reads carry,
    // which holds the resource, what is below it and its ancestors down to that depth.
    tags.add(n == 0 ? EXACT + "/" : SUBTREE + prefix(segments, Math.min(n, MAX_DEPTH)));
    // The ancestors, except the root: a write anywhere should not empty "/".
    for (int i = Math.min(n - 1, MAX_DEPTH - 1); i >= 1; i--) {
      boolean subtree = mode == HierarchyMode.WHOLE_COLLECTION
          || (mode == HierarchyMode.PARENT_COLLECTION && i == n - 1);
      tags.add((subtree ? SUBTREE : EXACT) + prefix(segments, i));
    }
    return tags;
  }
}
