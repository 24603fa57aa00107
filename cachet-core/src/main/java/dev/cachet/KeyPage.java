package dev.cachet;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a key listing. Immutable (the list is copied).
 *
 * @param keys the entries of this page
 * @param nextCursor pass to get the next page; {@code null} when the listing is complete
 */
public record KeyPage(List<KeyInfo> keys, @Nullable String nextCursor) {
  public KeyPage {
    keys = List.copyOf(keys);
  }
}
