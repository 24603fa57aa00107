package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterScanCursorTest {

  @Test
  void writesAndParsesNodeAndCursor() {
    String node = "07c37dfeb235213a872192d90877d0cd55635b91";
    ClusterScanCursor c = new ClusterScanCursor(node, "18446744073709551615");
    assertThat(c.toString()).isEqualTo(node + ":18446744073709551615");
    assertThat(ClusterScanCursor.parse(c.toString())).isEqualTo(c);
  }

  @Test
  void rejectsForeignCursors() {
    for (String bad : new String[] {"", "12", ":12", "abc:", "xyz:1", "ab:-1", "ab:1.5",
        "ab:18446744073709551616", "ab:12:3"}) {
      assertThatThrownBy(() -> ClusterScanCursor.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void knowsRedisCursors() {
    assertThat(ClusterScanCursor.isRedisCursor("0")).isTrue();
    assertThat(ClusterScanCursor.isRedisCursor("18446744073709551615")).isTrue();
    assertThat(ClusterScanCursor.isRedisCursor("18446744073709551616")).isFalse();
    assertThat(ClusterScanCursor.isRedisCursor("-1")).isFalse();
  }
}
