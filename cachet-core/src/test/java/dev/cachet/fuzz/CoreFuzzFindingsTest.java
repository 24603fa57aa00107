package dev.cachet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.internal.Envelope;
import dev.cachet.internal.GlobPattern;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.MemoryStore;
import dev.cachet.testing.MutableClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Minimal reproducers of what fuzzing the core found (docs/fuzzing.md lists them and their fixes).
 * Each failed until its bug was fixed, and keeps it fixed.
 */
class CoreFuzzFindingsTest {
  private static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(5));

  /** Found by KeyMapperFuzzTest: SHA-256 of a lossy UTF-8 encoding merges lone surrogates. */
  @Test
  void keysWithDifferentLoneSurrogatesGetDifferentStoreKeys() {
    assertThat(KeyMapper.encode("\udaa1")).isNotEqualTo(KeyMapper.encode("\ud9b3"));
  }

  /**
   * Found by EnvelopeFuzzTest: the original key is written as lossy UTF-8, so it reads back as
   * another string, the entry is taken for a foreign one, and such a key is never served.
   */
  @Test
  void aKeyWithALoneSurrogateIsServedFromTheCache() {
    MutableClock clock = new MutableClock();
    try (Cachet cachet = Cachet.builder().clock(clock).namespace("f").build()) {
      AtomicInteger loads = new AtomicInteger();
      String key = "user:\ud800";
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get(key, Codecs.utf8(), POLICY, () -> "v" + loads.incrementAndGet()))
            .isEqualTo("v1");
      }
      assertThat(loads).hasValue(1);
      assertThat(cachet.stats().corruptEntries()).isZero();
    }
  }

  /**
   * Found by GlobPatternFuzzTest: each UTF-16 unit is quoted on its own, so a surrogate pair in
   * a glob becomes two lone surrogates that never match the pair in a key.
   */
  @Test
  void anEscapedLiteralWithASupplementaryCharacterMatchesItself() {
    String literal = "<\udac7\ude33";
    assertThat(GlobPattern.compile(GlobPattern.escape(literal)).matches(literal)).isTrue();
    assertThat(GlobPattern.compile("?").matches("\ud83d\ude00")).isTrue();
  }

  @Test
  void invalidatePrefixRemovesKeysThatStartWithAnEmoji() {
    try (Cachet cachet = Cachet.builder().namespace("f").build()) {
      cachet.put("\ud83d\ude00:1", "v", Codecs.utf8(), POLICY);
      assertThat(cachet.invalidatePrefix("\ud83d\ude00")).isEqualTo(1);
    }
  }

  /**
   * Found by GlobPatternFuzzTest (and by reading): globs become backtracking regular
   * expressions, so a few stars against a long key take time exponential in the stars: 10
   * characters of pattern against 200 characters of key ran for 23 s. deleteByPattern and keys()
   * run every key of the namespace through it.
   */
  @Test
  void matchingTakesTimeLinearInTheKeyNotExponentialInTheStars() {
    GlobPattern glob = GlobPattern.compile("*a*a*a*a*b");
    String key = "a".repeat(100);
    long start = System.nanoTime();
    boolean matched = glob.matches(key);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(matched).isFalse();
    assertThat(millis).as("milliseconds to match 10 pattern characters against 100")
        .isLessThan(100);
  }

  /**
   * Found by EngineFuzzTest: an envelope of a literal key does not record the key, so the bytes
   * of one key's entry copied under another key's store key (a foreign writer, a store that
   * maps two keys to one slot) are served as the other key's value.
   */
  @Test
  void anEntryCopiedFromAnotherKeyIsNotServed() {
    MemoryStore store = MemoryStore.create();
    try (Cachet cachet = Cachet.builder().store(store).namespace("f").build()) {
      cachet.put("user:1", "one", Codecs.utf8(), POLICY);
      store.put("f:k:user:2", store.get("f:k:user:1"), Duration.ofMinutes(5));
      assertThat(cachet.get("user:2", Codecs.utf8(), POLICY, () -> "two")).isEqualTo("two");
      assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    }
  }

  /**
   * Found while writing EnvelopeFuzzTest: decode accepts malformed UTF-8 and replaces it, so a
   * tag name of 30,000 invalid bytes reads as 30,000 U+FFFD (90,000 bytes), which encode then
   * refuses: decode accepted an envelope that is not one.
   */
  @Test
  void decodeRejectsWhatEncodeCannotWriteBack() {
    byte[] name = new byte[30_000];
    Arrays.fill(name, (byte) 0xFF);
    ByteBuffer body = ByteBuffer.allocate(1 + 48 + 2 + 2 + name.length + 16 + 2 + 4);
    body.put((byte) 0).put(new byte[48]).putShort((short) 1);
    body.putShort((short) name.length).put(name);
    body.put(new byte[16]).putShort((short) 0).putInt(0);
    Envelope decoded = Envelope.decode(EnvelopeFuzzTest.withHeaderAndChecksum(body.array()));
    if (decoded != null) {
      assertThat(Envelope.decode(decoded.encode())).isEqualTo(decoded);
    }
  }
}
