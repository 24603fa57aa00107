package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemcachedKeysTest {

  private static void assertValidMemcachedKey(String mapped) {
    assertThat(mapped.length()).isBetween(1, MemcachedKeys.MAX_KEY);
    assertThat(mapped.chars()).allMatch(c -> c > 0x20 && c < 0x7F);
  }

  @Test
  void shortPrintableKeysAreKeptAsTheyAre() {
    String key = "cachet:k:user/42?a=1&b=[x]~#";
    assertThat(MemcachedKeys.map(key)).isEqualTo(key);
    String longest = "a".repeat(MemcachedKeys.MAX_KEY);
    assertThat(MemcachedKeys.map(longest)).isEqualTo(longest);
  }

  @Test
  void longKeysBecomeAPrefixAndAHashOfAtMost250Characters() {
    String key = "ns:k:" + "x".repeat(295);
    String mapped = MemcachedKeys.map(key);
    assertValidMemcachedKey(mapped);
    assertThat(mapped).hasSize(MemcachedKeys.MAX_KEY).startsWith("ns:k:xxx");
    assertThat(mapped.charAt(mapped.length() - 1 - MemcachedKeys.HASH_CHARS)).isEqualTo('#');
    assertThat(MemcachedKeys.map(key)).isEqualTo(mapped); // deterministic
  }

  @Test
  void keysThatShareTheirPrefixStayDistinct() {
    String prefix = "ns:k:" + "p".repeat(260);
    Set<String> mapped = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      mapped.add(MemcachedKeys.map(prefix + i));
    }
    assertThat(mapped).hasSize(1000);
  }

  @Test
  void unsafeCharactersAreMappedToo() {
    for (String key : new String[] {"has space", "tab\there", "nl\n", "ключ", "", "\uD800", "\uD801"}) {
      String mapped = MemcachedKeys.map(key);
      assertValidMemcachedKey(mapped);
      assertThat(mapped).isNotEqualTo(key);
    }
    // Lone surrogates that a charset would both turn into '?' still hash apart.
    assertThat(MemcachedKeys.map("\uD800")).isNotEqualTo(MemcachedKeys.map("\uD801"));
    assertThat(MemcachedKeys.map("a b")).isNotEqualTo(MemcachedKeys.map("a_b"));
  }

  @Test
  void aLiteralKeyShapedLikeAMappedOneIsMappedSoTheTwoNeverCollide() {
    String mapped = MemcachedKeys.map("ns:k:" + "z".repeat(400));
    // Someone using the mapped form itself as a key must not reach the long key's item.
    assertThat(MemcachedKeys.isLiteral(mapped)).isFalse();
    assertThat(MemcachedKeys.map(mapped)).isNotEqualTo(mapped);
    assertValidMemcachedKey(MemcachedKeys.map(mapped));
    // The mark elsewhere is harmless.
    assertThat(MemcachedKeys.map("a#b")).isEqualTo("a#b");
  }
}
