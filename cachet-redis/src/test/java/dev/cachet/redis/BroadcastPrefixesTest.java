package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which prefixes a near cache broadcasts: each key's text up to its first ':', at most 32. */
class BroadcastPrefixesTest {
  @Test
  void aKeysPrefixEndsAtItsFirstColonAndIsAddedOnce() {
    BroadcastPrefixes prefixes = new BroadcastPrefixes();
    assertThat(prefixes.covers("ns:k:a")).isFalse();
    assertThat(prefixes.add("ns:k:a")).isEqualTo("ns:");
    assertThat(prefixes.covers("ns:t:users")).isTrue();
    assertThat(prefixes.covers("ns2:k:a")).as("ns: is not a prefix of ns2:").isFalse();
    assertThat(prefixes.add("ns:t:users")).isNull();
    assertThat(prefixes.all()).containsExactly("ns:");
  }

  @Test
  void aKeyWithoutAColonHasNoPrefix() {
    BroadcastPrefixes prefixes = new BroadcastPrefixes();
    assertThat(prefixes.add("plain")).isNull();
    assertThat(prefixes.all()).isEmpty();
  }

  @Test
  void atMost32() {
    BroadcastPrefixes prefixes = new BroadcastPrefixes();
    for (int i = 0; i < BroadcastPrefixes.MAX; i++) {
      assertThat(prefixes.add("n" + i + ":k")).isEqualTo("n" + i + ":");
    }
    assertThat(prefixes.add("late:k")).isNull();
    assertThat(prefixes.covers("late:k")).isFalse();
    assertThat(prefixes.all()).hasSize(BroadcastPrefixes.MAX);
  }
}
