package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyListingTest {
  private final MutableClock clock = new MutableClock();
  private final Cachet cachet =
      Cachet.builder().store(MemoryStore.builder().clock(clock).build()).clock(clock).namespace("a").build();

  @Test
  void listsMatchingKeysWithTheirStateAcrossPages() {
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofSeconds(10)).tags("users")
        .staleWhileRevalidate(Duration.ofSeconds(10)).build();
    for (int i = 0; i < 30; i++) {
      cachet.put("user:" + i, "v", Codecs.utf8(), policy);
    }
    String longKey = "user:" + "x".repeat(300);
    cachet.put(longKey, "v", Codecs.utf8(), policy);
    cachet.put("item:1", "v", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofSeconds(100)));
    clock.advance(Duration.ofSeconds(15));
    List<KeyInfo> all = new ArrayList<>();
    String cursor = null;
    do {
      KeyPage page = cachet.keys("user:*", cursor, 7);
      all.addAll(page.keys());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(all).hasSize(31).extracting(KeyInfo::key).contains(longKey, "user:0").doesNotContain("item:1");
    assertThat(all).allSatisfy(k -> {
      assertThat(k.state()).isEqualTo(KeyInfo.State.STALE);
      assertThat(k.tags()).containsExactly("users");
      assertThat(k.sizeBytes()).isPositive();
      assertThat(k.timeToLive()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    });
    cachet.invalidateTags("users");
    assertThat(cachet.keys("user:1", null, 10).keys()).singleElement()
        .extracting(KeyInfo::state).isEqualTo(KeyInfo.State.INVALID);
    assertThat(cachet.keys("item:*", null, 10).keys()).singleElement()
        .extracting(KeyInfo::state).isEqualTo(KeyInfo.State.FRESH);
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> cachet.keys("*", null, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cachet.keys("*", null, 1001)).isInstanceOf(IllegalArgumentException.class);
  }
}
