package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheResult.Status;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadThroughTest {
  private final MutableClock clock = new MutableClock();
  private final ManualExecutor refreshes = new ManualExecutor();
  private final Cachet cachet =
      Cachet.builder()
          .store(MemoryStore.builder().clock(clock).build())
          .clock(clock)
          .refreshExecutor(refreshes)
          .build();
  private final AtomicInteger loads = new AtomicInteger();

  private String load() {
    return "v" + loads.incrementAndGet();
  }

  @AfterEach
  void close() {
    cachet.close();
  }

  @Test
  void missLoadsThenHitsUntilTheTtlEnds() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    assertThat(cachet.get("k", Codecs.utf8(), policy, this::load)).isEqualTo("v1");
    clock.advance(Duration.ofMillis(9_999));
    assertThat(cachet.get("k", Codecs.utf8(), policy, this::load)).isEqualTo("v1");
    clock.advance(Duration.ofMillis(1));
    assertThat(cachet.get("k", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
    CacheStats stats = cachet.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(2);
    assertThat(stats.loads()).isEqualTo(2);
    assertThat(stats.hitRate()).isEqualTo(1.0 / 3);
  }

  @Test
  void fetchReportsStatusAndAge() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    CacheResult<String> first = cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of("a"));
    assertThat(first.status()).isEqualTo(Status.MISS);
    clock.advance(Duration.ofSeconds(3));
    CacheResult<String> second = cachet.fetch("k", Codecs.utf8(), policy, () -> Loaded.of("b"));
    assertThat(second.status()).isEqualTo(Status.HIT);
    assertThat(second.value()).isEqualTo("a");
    assertThat(second.age(clock.instant())).isEqualTo(Duration.ofSeconds(3));
    assertThat(first.freshUntil()).as("a load's freshness is not reported").isNull();
    assertThat(second.freshUntil()).isEqualTo(second.storedAt().plusSeconds(10));
    assertThat(second.remainingFreshness(clock.instant())).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aHitsFreshnessIsTheEntrysOwnNotThePolicys() {
    CachePolicy route = CachePolicy.ofTtl(Duration.ofSeconds(600));
    cachet.fetch("k", Codecs.utf8(), route, () -> Loaded.of("a", CachePolicy.ofTtl(Duration.ofSeconds(2))));
    clock.advance(Duration.ofSeconds(1));
    CacheResult<String> hit = cachet.fetch("k", Codecs.utf8(), route, () -> Loaded.of("b"));
    assertThat(hit.status()).isEqualTo(Status.HIT);
    assertThat(hit.remainingFreshness(clock.instant())).isEqualTo(Duration.ofSeconds(1));
    assertThat(cachet.peek("k", Codecs.utf8()).remainingFreshness(clock.instant()))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterOnlyShortensTheTtlWithinItsFraction() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofSeconds(100)).jitter(0.2).build();
    for (int i = 0; i < 50; i++) {
      cachet.put("j" + i, "x", Codecs.utf8(), policy);
    }
    clock.advance(Duration.ofSeconds(80).minusMillis(1));
    for (int i = 0; i < 50; i++) {
      assertThat(cachet.exists("j" + i)).as("fresh before 80%% of the TTL").isTrue();
    }
    clock.advance(Duration.ofSeconds(20).plusMillis(1));
    for (int i = 0; i < 50; i++) {
      assertThat(cachet.exists("j" + i)).as("expired at the full TTL").isFalse();
    }
  }

  @Test
  void nullIsReturnedButNotCached() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    assertThat(cachet.get("n", Codecs.utf8(), policy, () -> { loads.incrementAndGet(); return null; })).isNull();
    assertThat(cachet.get("n", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
  }

  @Test
  void uncacheableValuesAreReturnedButNotStored() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    assertThat(cachet.fetch("u", Codecs.utf8(), policy, () -> Loaded.uncacheable("private")).value())
        .isEqualTo("private");
    assertThat(cachet.exists("u")).isFalse();
  }

  @Test
  void loaderPolicyOverridesTheCallers() {
    CachePolicy caller = CachePolicy.ofTtl(Duration.ofSeconds(10));
    CachePolicy longer = CachePolicy.ofTtl(Duration.ofSeconds(100));
    cachet.fetch("o", Codecs.utf8(), caller, () -> Loaded.of("x", longer));
    clock.advance(Duration.ofSeconds(50));
    assertThat(cachet.exists("o")).isTrue();
  }

  @Test
  void refreshAheadRefreshesInTheBackgroundOncePerKey() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofSeconds(10)).refreshAhead(0.8).build();
    cachet.get("r", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(7));
    cachet.get("r", Codecs.utf8(), policy, this::load);
    assertThat(refreshes.pending()).isZero();
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      assertThat(cachet.get("r", Codecs.utf8(), policy, this::load)).isEqualTo("v1");
    }
    assertThat(refreshes.runAll()).isEqualTo(1);
    assertThat(cachet.get("r", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
    assertThat(cachet.stats().hits()).isEqualTo(7);
  }

  @Test
  void staleWhileRevalidateServesStaleAndRefreshesOnce() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofSeconds(5)).build();
    cachet.get("s", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(12));
    CacheResult<String> stale = cachet.fetch("s", Codecs.utf8(), policy, () -> Loaded.of(load()));
    assertThat(stale.status()).isEqualTo(Status.STALE);
    assertThat(stale.value()).isEqualTo("v1");
    cachet.get("s", Codecs.utf8(), policy, this::load);
    assertThat(refreshes.runAll()).isEqualTo(1);
    assertThat(cachet.fetch("s", Codecs.utf8(), policy, () -> Loaded.of(load())).status()).isEqualTo(Status.HIT);
    assertThat(cachet.get("s", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
    assertThat(cachet.stats().staleHits()).isEqualTo(2);
  }

  @Test
  void pastTheStaleWindowTheCallerLoads() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofSeconds(5)).build();
    cachet.get("s", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(15));
    assertThat(cachet.get("s", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
    assertThat(refreshes.pending()).isZero();
  }

  @Test
  void staleIfErrorServesTheOldValueWhenTheLoaderFails() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build();
    cachet.get("e", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(20));
    CacheResult<String> result =
        cachet.fetch("e", Codecs.utf8(), policy, () -> { throw new IllegalStateException("db down"); });
    assertThat(result.status()).isEqualTo(Status.STALE);
    assertThat(result.value()).isEqualTo("v1");
    assertThat(cachet.stats().loadFailures()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(21));
    assertThatThrownBy(() -> cachet.get("e", Codecs.utf8(), policy, () -> { throw new IllegalStateException("db down"); }))
        .isInstanceOf(IllegalStateException.class).hasMessage("db down");
  }

  @Test
  void staleIfErrorIsJudgedWhenTheLoaderFailsNotWhenItStarted() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build();
    cachet.get("e", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(20)); // inside the window (it ends at 40 s)
    assertThatThrownBy(() -> cachet.get("e", Codecs.utf8(), policy, () -> {
      clock.advance(Duration.ofSeconds(25)); // fails past the window
      throw new IllegalStateException("db down");
    })).isInstanceOf(IllegalStateException.class).hasMessage("db down");
  }

  @Test
  void asyncStaleIfErrorIsJudgedWhenTheLoadFails() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build();
    cachet.put("a", "old", Codecs.utf8(), policy);
    clock.advance(Duration.ofSeconds(20));
    java.util.concurrent.CompletableFuture<String> failing = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<String> result = cachet.getAsync("a", Codecs.utf8(), policy, () -> failing);
    clock.advance(Duration.ofSeconds(25));
    failing.completeExceptionally(new IllegalStateException("down"));
    assertThat(result).failsWithin(Duration.ofSeconds(5));
  }

  @Test
  void staleIfErrorDoesNotServeStaleWhenTheLoaderSucceeds() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build();
    cachet.get("e", Codecs.utf8(), policy, this::load);
    clock.advance(Duration.ofSeconds(11));
    assertThat(cachet.fetch("e", Codecs.utf8(), policy, () -> Loaded.of(load())).status()).isEqualTo(Status.MISS);
    assertThat(cachet.get("e", Codecs.utf8(), policy, this::load)).isEqualTo("v2");
  }

  @Test
  void checkedLoaderExceptionsAreWrappedRuntimeOnesPassThrough() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    assertThatThrownBy(() -> cachet.get("x", Codecs.utf8(), policy, () -> { throw new IOException("io"); }))
        .isInstanceOf(CacheLoaderException.class).hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> cachet.get("x", Codecs.utf8(), policy, () -> { throw new IllegalArgumentException("bad"); }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(cachet.get("x", Codecs.utf8(), policy, this::load)).isEqualTo("v1");
  }

  @Test
  void asyncLoadsOnceAndHitsAfter() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    assertThat(cachet.getAsync("a", Codecs.utf8(), policy, () -> java.util.concurrent.CompletableFuture.completedFuture(load())).join())
        .isEqualTo("v1");
    assertThat(cachet.getAsync("a", Codecs.utf8(), policy, () -> java.util.concurrent.CompletableFuture.completedFuture(load())).join())
        .isEqualTo("v1");
    assertThat(loads).hasValue(1);
  }

  @Test
  void asyncFailureFallsBackToStaleInsideTheErrorWindow() {
    CachePolicy policy =
        CachePolicy.builder().ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build();
    cachet.put("a", "old", Codecs.utf8(), policy);
    clock.advance(Duration.ofSeconds(15));
    assertThat(cachet.getAsync("a", Codecs.utf8(), policy,
        () -> java.util.concurrent.CompletableFuture.<String>failedFuture(new IllegalStateException("down"))).join())
        .isEqualTo("old");
    clock.advance(Duration.ofSeconds(30));
    assertThat(cachet.getAsync("a", Codecs.utf8(), policy,
        () -> java.util.concurrent.CompletableFuture.<String>failedFuture(new IllegalStateException("down"))))
        .failsWithin(Duration.ofSeconds(5));
  }

  @Test
  void undecodableValuesAreCountedAndReloaded() {
    CachePolicy policy = CachePolicy.ofTtl(Duration.ofSeconds(10));
    cachet.put("c", new byte[] {1, 2, 3}, Codecs.bytes(), policy);
    Codec<String> strict = new Codec<>() {
      @Override public byte[] encode(String value) { return value.getBytes(java.nio.charset.StandardCharsets.UTF_8); }
      @Override public String decode(byte[] bytes) {
        if (bytes.length < 4) { throw new IllegalArgumentException("short"); }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      }
    };
    assertThat(cachet.get("c", strict, policy, () -> "reloaded")).isEqualTo("reloaded");
    assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
  }
}
