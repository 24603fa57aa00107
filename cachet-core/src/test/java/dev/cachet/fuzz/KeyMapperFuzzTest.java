package dev.cachet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.internal.KeyMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyMapper}: every caller key maps to a store key of at most 200 printable ASCII
 * characters without space, the same every time; literal keys are kept as they are and never
 * contain {@code ~}; and distinct keys never share a store key, checked on near pairs and, while
 * fuzzing, against every key seen before.
 */
class KeyMapperFuzzTest {
  private static final KeyMapper MAPPER = new KeyMapper("ns");
  /** Store key to caller key, across fuzzing iterations; bounded so long runs keep their memory. */
  private static final Map<String, String> SEEN = new HashMap<>();

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @FuzzTest
  void storeKeysAreSafeAndDistinct(FuzzedDataProvider data) {
    check(FuzzInput.of(data));
  }

  @Test
  void storeKeysAreSafeAndDistinctOnRandomKeys() {
    FuzzRuns.repeat("key-mapper", 20_000, KeyMapperFuzzTest::check);
  }

  static void check(FuzzInput in) {
    String key = in.bool() ? in.string(300) : in.string(40).repeat(in.intIn(1, 12));
    String other = Variants.near(key, in);
    String encoded = checkOne(key);
    String otherEncoded = checkOne(other);
    if (!key.equals(other)) {
      assertThat(otherEncoded)
          .as("store keys of distinct keys %s and %s", FuzzStrings.escapeJava(key),
              FuzzStrings.escapeJava(other))
          .isNotEqualTo(encoded);
    }
    remember(key, encoded);
    remember(other, otherEncoded);
  }

  private static String checkOne(String key) {
    String encoded = KeyMapper.encode(key);
    String shown = FuzzStrings.escapeJava(key);
    assertThat(KeyMapper.encode(key)).as("deterministic for %s", shown).isEqualTo(encoded);
    assertThat(encoded.length()).as("length of the store key of %s", shown)
        .isLessThanOrEqualTo(200);
    assertThat(encoded.chars().allMatch(c -> c > 0x20 && c < 0x7F))
        .as("store key %s of %s is printable ASCII without space", encoded, shown).isTrue();
    if (KeyMapper.isLiteral(key)) {
      assertThat(encoded).isEqualTo(key).doesNotContain("~");
    } else {
      assertThat(encoded.chars().filter(c -> c == '~').count())
          .as("hashed store key %s of %s holds one '~'", encoded, shown).isEqualTo(1);
    }
    assertThat(MAPPER.entryKey(key)).isEqualTo("ns:k:" + encoded);
    assertThat(MAPPER.hardVersionKey(key)).isEqualTo("ns:t:" + encoded);
    return encoded;
  }

  private static synchronized void remember(String key, String encoded) {
    String before = SEEN.putIfAbsent(encoded, key);
    if (before != null) {
      assertThat(before)
          .as("keys %s and %s share the store key %s", FuzzStrings.escapeJava(before),
              FuzzStrings.escapeJava(key), encoded)
          .isEqualTo(key);
    }
    if (SEEN.size() > 200_000) {
      SEEN.clear();
    }
  }
}
