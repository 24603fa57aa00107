package dev.cachet.spring.internal;

import java.util.List;

/**
 * The invalidations of one call, templates rendered.
 *
 * @param tags tags to invalidate
 * @param keys keys to delete
 * @param patterns glob patterns whose keys are deleted
 */
public record RenderedInvalidation(List<String> tags, List<String> keys, List<String> patterns) {
  public RenderedInvalidation {
    tags = List.copyOf(tags);
    keys = List.copyOf(keys);
    patterns = List.copyOf(patterns);
  }
}
