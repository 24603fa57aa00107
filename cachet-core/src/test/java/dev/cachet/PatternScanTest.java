package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import dev.cachet.store.ScanPage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A pattern with a literal start is deleted in one pass over the store, scanning only keys that
 * start with it, literal and hashed alike; one that starts with a wildcard takes the two passes
 * (the store filters literal keys, hashed ones are checked by their caller key).
 */
class PatternScanTest {
  private final List<String> scans = new CopyOnWriteArrayList<>();
  private final ForwardingStore counting = new ForwardingStore(MemoryStore.create()) {
    @Override
    public ScanPage scan(String pattern, @Nullable String cursor, int count) {
      if (cursor == null) {
        scans.add(pattern);
      }
      return super.scan(pattern, cursor, count);
    }
  };
  private final CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
  private static final String LONG = "x".repeat(300); // a hashed store key
  private static final List<String> KEYS = List.of(
      "user:1:name", "user:1:" + LONG, "user:1:caf\u00e9", "user:10:name", "user:2:" + LONG, "order:1:name");

  private Cachet filled() {
    Cachet cachet = Cachet.builder().store(counting).build();
    for (String key : KEYS) {
      cachet.put(key, key, Codecs.utf8(), policy);
    }
    return cachet;
  }

  private static List<String> left(Cachet cachet) {
    return KEYS.stream().filter(cachet::exists).toList();
  }

  @Test
  void aPatternWithALiteralStartScansOnceFromIt() {
    try (Cachet cachet = filled()) {
      assertThat(cachet.deleteByPattern("user:1:*")).isEqualTo(3);
      assertThat(left(cachet)).containsExactly("user:10:name", "user:2:" + LONG, "order:1:name");
      assertThat(scans).containsExactly("cachet:k:user:1:*");
    }
  }

  @Test
  void aStartThatOnlyHashedKeysCanHaveIsCutToWhatTheyKeepVisible() {
    try (Cachet cachet = filled()) {
      assertThat(cachet.deleteByPattern("user:1:caf\u00e9")).isEqualTo(1);
      assertThat(left(cachet)).doesNotContain("user:1:caf\u00e9").hasSize(5);
      assertThat(scans).containsExactly("cachet:k:user:1:caf*");
    }
  }

  @Test
  void aPatternStartingWithAWildcardTakesTwoPasses() {
    try (Cachet cachet = filled()) {
      assertThat(cachet.deleteByPattern("*:name")).isEqualTo(3);
      assertThat(left(cachet)).containsExactly("user:1:" + LONG, "user:1:caf\u00e9", "user:2:" + LONG);
      assertThat(scans).hasSize(2);
    }
  }
}
