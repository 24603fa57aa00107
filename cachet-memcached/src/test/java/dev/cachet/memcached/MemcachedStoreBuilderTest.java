package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builder and server-list checks; none of these connects anywhere. */
class MemcachedStoreBuilderTest {

  @Test
  void parsesServerLists() {
    assertThat(ServerAddress.parseList("a:1, b:2,c:3 d"))
        .containsExactly(
            new ServerAddress("a", 1), new ServerAddress("b", 2), new ServerAddress("c", 3),
            new ServerAddress("d", 11211));
    assertThat(ServerAddress.parseList("[::1]:11212")).containsExactly(new ServerAddress("::1", 11212));
    assertThat(ServerAddress.parseList("[::1]:11212").get(0).label()).isEqualTo("[::1]:11212");
  }

  @Test
  void rejectsMalformedServerLists() {
    for (String bad : List.of("", "  ", ":11211", "a:", "a:0", "a:65536", "a:12x", "::1:11211",
        "[::1", "[::1]x", "a:1,a:1", ",a:1")) {
      assertThatThrownBy(() -> MemcachedStore.builder().servers(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void checksRangesAtOnce() {
    assertThatThrownBy(() -> MemcachedStore.builder().operationTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().operationTimeout(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().connectTimeout(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().maxItemSize(1023))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().maxItemSize(64 * 1024 * 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xmemcached.cached.data.size.max");
    assertThatThrownBy(() -> MemcachedStore.builder().circuitBreaker(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().circuitBreaker(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedStore.builder().clock(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void eachSettingOnce() {
    MemcachedStoreBuilder builder = MemcachedStore.builder()
        .servers("a:1")
        .operationTimeout(Duration.ofMillis(100))
        .connectTimeout(Duration.ofMillis(100))
        .maxItemSize(4096)
        .circuitBreaker(3, Duration.ofSeconds(1))
        .clock(Clock.systemUTC());
    assertThatThrownBy(() -> builder.servers("b:1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.operationTimeout(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.maxItemSize(2048)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.circuitBreaker(1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.clock(Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void buildNeedsServersAndResolvableHosts() {
    assertThatThrownBy(() -> MemcachedStore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("servers");
    assertThatThrownBy(() -> MemcachedStore.builder().servers("no-such-host.invalid:11211").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resolve");
    assertThatThrownBy(() -> MemcachedStore.builder().servers("127.0.0.1:11211,[::ffff:127.0.0.1]:11211").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same server");
  }
}
