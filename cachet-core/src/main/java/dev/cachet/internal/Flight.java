package dev.cachet.internal;

import dev.cachet.Codec;
import dev.cachet.internal.VersionGuard.Captured;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One load of one key in this process, shared by the callers that miss it meanwhile.
 *
 * <p>A caller joins only a flight that captured the same versions it sees now: a flight started
 * before an invalidation is not joined after it, so its value reaches only the callers that asked
 * before the invalidation. A flight is poisoned when its key is deleted while it runs: it then
 * completes for its callers but is not written back.
 */
final class Flight {
  /** What a flight produced. {@code shared} is false for values only their loader's caller may see. */
  record Result(
      @Nullable Object value, Codec<?> codec, byte @Nullable [] bytes, long createdAt,
      boolean shared) {}

  final @Nullable Captured captured;
  final CompletableFuture<Result> future = new CompletableFuture<>();
  volatile boolean poisoned;

  Flight(@Nullable Captured captured) {
    this.captured = captured;
  }

  boolean joinableBy(Captured seen) {
    return !poisoned && captured != null && captured.sameAs(seen);
  }
}
