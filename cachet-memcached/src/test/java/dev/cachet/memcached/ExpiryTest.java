package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final long now = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();

  @Test
  void upTo30DaysIsSecondsFromNowRoundedUp() {
    assertThat(Expiry.of(Duration.ofMillis(1), clock)).isEqualTo(1);
    assertThat(Expiry.of(Duration.ofMillis(1500), clock)).isEqualTo(2);
    assertThat(Expiry.of(Duration.ofSeconds(60), clock)).isEqualTo(60);
    assertThat(Expiry.of(Duration.ofDays(30), clock)).isEqualTo(2_592_000);
  }

  @Test
  void beyond30DaysIsAnAbsoluteUnixTime() {
    assertThat(Expiry.of(Duration.ofDays(30).plusSeconds(1), clock)).isEqualTo(now + 2_592_001);
    assertThat(Expiry.of(Duration.ofDays(365), clock)).isEqualTo(now + 365L * 86_400);
    clock.advance(Duration.ofHours(1));
    assertThat(Expiry.of(Duration.ofDays(365), clock)).isEqualTo(now + 3600 + 365L * 86_400);
  }

  @Test
  void beyondMemcacheds32BitTimeMeansNoExpiry() {
    assertThat(Expiry.of(Duration.ofDays(36_500), clock)).isZero();
    assertThat(Expiry.of(Duration.ofSeconds(Long.MAX_VALUE), clock)).isZero();
  }

  @Test
  void rejectsNonPositiveTtls() {
    assertThatThrownBy(() -> Expiry.of(Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Expiry.of(Duration.ofSeconds(-1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
