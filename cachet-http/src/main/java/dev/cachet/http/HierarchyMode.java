package dev.cachet.http;

/**
 * Which cached reads a successful write to a path invalidates automatically.
 *
 * <p>Every stored read of path {@code P} carries the tag {@code p:P} (that exact path, every query
 * variant) and {@code t:A} for each ancestor-or-self prefix {@code A} of {@code P} (the subtree
 * tags), up to 16 segments deep: a write deeper than that invalidates the subtree of its
 * 16-segment prefix in place of its own (see {@code PathTags}), so that no client-made path costs
 * more than 17 tags. Examples below are for a write to {@code /spaces/123/items/456}.
 */
public enum HierarchyMode {
  /** No automatic invalidation: only what the {@link InvalidationPolicy} declares. */
  NONE,

  /**
   * The resource and everything under it ({@code t:/spaces/123/items/456}), and the exact
   * ancestors with every query variant ({@code p:/spaces/123/items}, {@code p:/spaces/123},
   * {@code p:/spaces}); siblings such as {@code /spaces/123/items/789} stay cached. The default.
   */
  RESOURCE_AND_ANCESTORS,

  /**
   * As {@link #RESOURCE_AND_ANCESTORS}, and the whole parent collection with its members
   * ({@code t:/spaces/123/items}): siblings are invalidated too.
   */
  PARENT_COLLECTION,

  /**
   * Everything under every ancestor ({@code t:/spaces/123/items/456}, {@code t:/spaces/123/items},
   * {@code t:/spaces/123}, {@code t:/spaces}): the whole top-level collection, as the
   * fastapi-intelligent-cache seed did with its {@code GET:spaces:*} patterns.
   */
  WHOLE_COLLECTION
}
