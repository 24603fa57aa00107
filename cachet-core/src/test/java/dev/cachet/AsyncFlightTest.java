package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async loads that never complete, or return no future, do not pin their key. */
class AsyncFlightTest {
  private final CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
  private final Cachet cachet =
      Cachet.builder().store(MemoryStore.create()).maxWait(Duration.ofMillis(50)).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  @Test
  void aLoadThatNeverCompletesIsAbandonedByTheFirstCallerThatGivesUpOnIt() throws Exception {
    CompletableFuture<String> hung = new CompletableFuture<>();
    cachet.getAsync("k", Codecs.utf8(), policy, () -> hung);
    AtomicInteger loads = new AtomicInteger();
    // Joins the hung load, gives up after maxWait, and loads in its place.
    assertThat(cachet.getAsync("k", Codecs.utf8(), policy, () -> {
      loads.incrementAndGet();
      return CompletableFuture.completedFuture("v1");
    }).get(10, TimeUnit.SECONDS)).isEqualTo("v1");
    // Its load was the key's flight, and is stored: the next caller hits it.
    assertThat(cachet.getAsync("k", Codecs.utf8(), policy, () -> {
      loads.incrementAndGet();
      return CompletableFuture.completedFuture("v2");
    }).get(10, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(loads).hasValue(1);
    // The abandoned load, finishing at last, does not overwrite the newer value.
    hung.complete("late");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v1");
  }

  @Test
  void aSynchronousCallerThatGivesUpOnAHungAsyncLoadFreesTheKeyToo() throws Exception {
    cachet.getAsync("k", Codecs.utf8(), policy, CompletableFuture::new); // never completes
    // Joins the hung load, gives up after maxWait, loads in its place, and its value is stored.
    assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "v1")).isEqualTo("v1");
    assertThat(cachet.get("k", Codecs.utf8(), policy, () -> "v2")).isEqualTo("v1");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v1");
  }

  @Test
  void aLoaderReturningNoFutureFailsThatCallAndFreesTheKey() throws Exception {
    CompletableFuture<String> failed = cachet.getAsync("k", Codecs.utf8(), policy, () -> null);
    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'k'").hasMessageContaining("returned null instead of a future");
    assertThat(cachet.getAsync("k", Codecs.utf8(), policy,
        () -> CompletableFuture.completedFuture("v")).get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("v");
  }
}
