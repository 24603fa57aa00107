package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
  private static boolean gzip(String... lines) {
    return AcceptEncoding.prefersGzip(List.of(lines));
  }

  @Test
  void gzipWhenListedWithAWeightAboveZero() {
    assertThat(gzip("gzip")).isTrue();
    assertThat(gzip("gzip, deflate, br, zstd")).isTrue();
    assertThat(gzip("br;q=1.0, gzip;q=0.8, *;q=0.1")).isTrue();
    assertThat(gzip("deflate", "gzip")).as("several field lines").isTrue();
    assertThat(gzip("X-GZIP")).isTrue();
    assertThat(gzip(" gzip ; q=0.001 ")).isTrue();
    assertThat(gzip("*")).isTrue();
    assertThat(gzip("gzip;q=1, identity;q=1")).as("a tie goes to the smaller").isTrue();
  }

  @Test
  void identityWhenAbsentEmptyRefusedOrPreferred() {
    assertThat(AcceptEncoding.prefersGzip(List.of())).as("no preference: identity").isFalse();
    assertThat(gzip("")).isFalse();
    assertThat(gzip("identity")).isFalse();
    assertThat(gzip("br, deflate")).isFalse();
    assertThat(gzip("gzip;q=0")).isFalse();
    assertThat(gzip("gzip;q=0.000")).isFalse();
    assertThat(gzip("*;q=0")).isFalse();
    assertThat(gzip("*, gzip;q=0")).as("the specific member wins over *").isFalse();
    assertThat(gzip("gzip;q=0.5, identity")).isFalse();
    assertThat(gzip("gzip;q=0.5, *;q=0.9")).as("* stands for identity").isFalse();
  }

  @Test
  void malformedWeightsAreIgnored() {
    assertThat(gzip("gzip;q=2")).isFalse();
    assertThat(gzip("gzip;q=1.5")).isFalse();
    assertThat(gzip("gzip;q=0.5x")).isFalse();
    assertThat(gzip("gzip;q=")).isFalse();
    assertThat(gzip("gzip;q=0.1234")).isFalse();
    assertThat(gzip("gzip;q=abc, gzip;q=0.3")).isTrue();
    assertThat(gzip("gzip;level=1")).as("other parameters do not weigh").isTrue();
  }
}
