package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionsTest {

  @Test
  void roundTripsEveryLong() {
    for (long v : new long[] {1, -1, 42, -7, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 52, -(1L << 40) + 3}) {
      assertThat(new String(Versions.encode(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
      assertThat(Versions.decode(Versions.encode(v))).isEqualTo(v);
    }
  }

  @Test
  void anythingElseReadsAsAbsent() {
    for (String s : new String[] {"", "-", "+1", "1.5", "12a", " 1", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999", "0x10"}) {
      assertThat(Versions.decode(s.getBytes(StandardCharsets.US_ASCII))).as(s).isZero();
    }
    assertThat(Versions.decode(null)).isZero();
  }
}
