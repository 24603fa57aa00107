package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  @Test
  void buildsWithDefaults() {
    CachePolicy p = CachePolicy.ofTtl(Duration.ofSeconds(5));
    assertThat(p.ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.tags()).isEmpty();
    assertThat(p.staleWhileRevalidate()).isZero();
    assertThat(p.jitter()).isZero();
    assertThat(p.distributedLock()).isFalse();
  }

  @Test
  void badRangesFailWhenSet() {
    assertThatThrownBy(() -> CachePolicy.builder().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().ttl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().ttl(Duration.ofDays(40_000))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().jitter(1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().jitter(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().jitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().refreshAhead(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().staleWhileRevalidate(Duration.ofDays(40_000))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().staleIfError(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().tags("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachePolicy.builder().tags((String) null)).isInstanceOf(NullPointerException.class);
    String[] tooMany = java.util.stream.IntStream.rangeClosed(0, CachePolicy.MAX_TAGS)
        .mapToObj(i -> "t" + i).toArray(String[]::new);
    assertThatThrownBy(() -> CachePolicy.builder().tags(tooMany)) // as it is set, not at build()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000 tags");
  }

  @Test
  void theBuilderTakesZeroForOffAsTheRecordDoes() {
    CachePolicy off = CachePolicy.builder().ttl(Duration.ofSeconds(5)).jitter(0).refreshAhead(0)
        .staleWhileRevalidate(Duration.ZERO).staleIfError(Duration.ZERO).build();
    assertThat(off).isEqualTo(CachePolicy.ofTtl(Duration.ofSeconds(5)));
  }

  @Test
  void settingTwiceFails() {
    assertThatThrownBy(() -> CachePolicy.builder().ttl(Duration.ofSeconds(1)).ttl(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ttl");
  }

  @Test
  void ttlIsRequired() {
    assertThatThrownBy(() -> CachePolicy.builder().tags("a").build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toBuilderDerivesAVariant() {
    CachePolicy base = CachePolicy.builder().ttl(Duration.ofSeconds(5)).tags("a").build();
    CachePolicy more = base.toBuilder().tags("b").build();
    assertThat(more.tags()).containsExactlyInAnyOrder("a", "b");
    assertThat(more.ttl()).isEqualTo(base.ttl());
  }

  @Test
  void cachetBuilderFailsFast() {
    assertThatThrownBy(() -> Cachet.builder().namespace("bad:ns")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cachet.builder().maxWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    // beyond what nanoseconds hold: refused when set, not an ArithmeticException at build()
    assertThatThrownBy(() -> Cachet.builder().maxWait(java.time.temporal.ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    assertThatThrownBy(() -> Cachet.builder().errorLogInterval(Duration.ofDays(40_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorLogInterval");
    assertThatThrownBy(() -> Cachet.builder().store(MemoryStore.create()).store(MemoryStore.create()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Cachet.builder().store(null)).isInstanceOf(NullPointerException.class).hasMessage("store");
    assertThatThrownBy(() -> MemoryStore.builder().maximumBytes(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
