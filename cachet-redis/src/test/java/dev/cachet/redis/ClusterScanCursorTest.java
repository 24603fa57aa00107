package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterScanCursorTest {

  @Test
  void writesAndParsesNodeAndCursor() {
    String node = "07c37dfeb235213a872192d90877d0cd55635b91";
    ClusterScanCursor c = new ClusterScanCursor(node, "18446744073709551615", 0x9f86d081884c7d65L);
    assertThat(c.toString()).isEqualTo(node + ":18446744073709551615:9f86d081884c7d65");
    assertThat(ClusterScanCursor.parse(c.toString())).isEqualTo(c);
    assertThat(new ClusterScanCursor(node, "0", 1).toString()).isEqualTo(node + ":0:0000000000000001");
  }

  @Test
  void rejectsForeignCursors() {
    String layout = ":0123456789abcdef";
    for (String bad : new String[] {"", "12", ":12", "abc:", "xyz:1", "ab:-1", "ab:1.5",
        "ab:18446744073709551616", "ab:12:3", "ab:12", ":12" + layout, "xyz:1" + layout,
        "ab:-1" + layout, "ab:12:0123456789abcdeg", "ab:12:0123456789abcdef0", "ab:12" + layout + ":1"}) {
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
