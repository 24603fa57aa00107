package dev.cachet.store;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of store keys matching a pattern. Immutable (the list is copied).
 *
 * @param keys the store keys of this page, possibly empty even when more pages follow
 * @param nextCursor the cursor of the next page, or {@code null} when the scan is complete
 */
public record ScanPage(List<String> keys, @Nullable String nextCursor) {
  public ScanPage {
    keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
  }
}
