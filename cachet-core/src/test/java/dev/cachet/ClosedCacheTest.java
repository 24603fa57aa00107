package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cache used after {@link Cachet#close()} (requests still running while an application shuts
 * down) answers every call without an exception: its loaders run, and it refreshes nothing in
 * the background.
 */
class ClosedCacheTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void aClosedCacheStillAnswersEveryCall() throws Exception {
    CachePolicy swr = CachePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1)).refreshAhead(0.5).build();
    Cachet cachet = Cachet.builder().clock(clock).build();
    cachet.put("stale", "old", Codecs.utf8(), swr);
    cachet.put("ahead", "old", Codecs.utf8(), swr);
    cachet.close();
    clock.advance(Duration.ofSeconds(6));
    assertThat(cachet.get("ahead", Codecs.utf8(), swr, () -> "new")).isIn("old", "new");
    clock.advance(Duration.ofSeconds(6));
    assertThat(cachet.get("stale", Codecs.utf8(), swr, () -> "new")).isIn("old", "new");
    assertThat(cachet.get("missing", Codecs.utf8(), swr, () -> "loaded")).isEqualTo("loaded");
    assertThat(cachet.getAsync("async", Codecs.utf8(), swr,
        () -> java.util.concurrent.CompletableFuture.completedFuture("a")).get(10, TimeUnit.SECONDS)).isEqualTo("a");
    cachet.invalidateTags("t");
    cachet.delete("stale");
    cachet.clear();
  }
}
