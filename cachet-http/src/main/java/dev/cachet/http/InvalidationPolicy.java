package dev.cachet.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a successful ({@code 2xx} or {@code 3xx}) write ({@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE}, or any other method not known to be safe: {@link Invalidator#invalidates})
 * invalidates: the automatic path hierarchy, plus declared tags, keys and glob patterns whose
 * {@code {placeholders}} are filled from the write's path variables and query parameters.
 *
 * <p>Keys are exact cache keys as {@link RoutePolicy#keyTemplate()} renders them (or the default
 * {@code GET:/path?query} form). Every stored key ends with its request's origin part
 * ({@code |o:host=...}, see {@code RequestKeys}), so a key is deleted as rendered and with the
 * write's own origin part appended: an entry stored through another {@code Host} or other
 * forwarding headers keeps its key, as do entries of routes that vary by headers or principal
 * (several keys per template). Invalidate those by tag. Patterns need a store that can list
 * keys (not Memcached); where it cannot, they are skipped with a logged warning.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hierarchy the automatic invalidation, or {@code null} for the application's default
 *     ({@link HttpCacheConfig#hierarchyMode()})
 * @param tags tag templates to invalidate
 * @param keys key templates to delete
 * @param patterns glob pattern templates whose matching keys are deleted
 */
public record InvalidationPolicy(
    @Nullable HierarchyMode hierarchy, List<Template> tags, List<Template> keys, List<Template> patterns) {

  private static final InvalidationPolicy AUTOMATIC =
      new InvalidationPolicy(null, List.of(), List.of(), List.of());

  public InvalidationPolicy {
    tags = List.copyOf(tags);
    keys = List.copyOf(keys);
    patterns = List.copyOf(patterns);
  }

  /** Only the automatic hierarchy, in the application's default mode. */
  public static InvalidationPolicy automatic() {
    return AUTOMATIC;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link InvalidationPolicy}. Templates are parsed as they are added
   * ({@link IllegalArgumentException} when malformed); {@link #hierarchy} may be set once. Not
   * thread-safe.
   */
  public static final class Builder {
    private @Nullable HierarchyMode hierarchy;
    private boolean hierarchySet;
    private final List<Template> tags = new ArrayList<>();
    private final List<Template> keys = new ArrayList<>();
    private final List<Template> patterns = new ArrayList<>();

    private Builder() {}

    /** The automatic invalidation of this write, instead of the application's default. */
    public Builder hierarchy(HierarchyMode mode) {
      if (hierarchySet) {
        throw new IllegalStateException("hierarchy was already set");
      }
      hierarchySet = true;
      this.hierarchy = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder tags(String... templates) {
      add(tags, templates);
      return this;
    }

    public Builder keys(String... templates) {
      add(keys, templates);
      return this;
    }

    public Builder patterns(String... templates) {
      add(patterns, templates);
      return this;
    }

    private static void add(List<Template> into, String... templates) {
      for (String t : Objects.requireNonNull(templates, "templates")) {
        into.add(Template.of(t));
      }
    }

    public InvalidationPolicy build() {
      return new InvalidationPolicy(hierarchy, tags, keys, patterns);
    }
  }
}
