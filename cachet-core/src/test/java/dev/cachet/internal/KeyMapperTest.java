package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KeyMapperTest {
  private final KeyMapper keys = new KeyMapper("app");

  @Test
  void plainKeysStayReadable() {
    assertThat(keys.entryKey("GET:/users?page=1")).isEqualTo("app:k:GET:/users?page=1");
    assertThat(keys.hardVersionKey("users")).isEqualTo("app:t:users");
    assertThat(keys.softVersionKey("users")).isEqualTo("app:s:users");
    assertThat(keys.namespaceVersionKey()).isEqualTo("app:n");
  }

  @Test
  void longAndOddKeysAreHashedDeterministicallyBehindTheirSafePrefix() {
    String odd = "user:ü name";
    String encoded = KeyMapper.encode(odd);
    assertThat(encoded).startsWith("user:~").hasSize("user:~".length() + 43);
    assertThat(KeyMapper.encode(odd)).isEqualTo(encoded);
    assertThat(KeyMapper.encode("x".repeat(201))).startsWith("x".repeat(64) + "~");
    assertThat(KeyMapper.encode("x".repeat(200))).isEqualTo("x".repeat(200));
    assertThat(KeyMapper.encode("a~b")).contains("~").isNotEqualTo("a~b");
  }

  @Property
  void storeKeysArePrintableBoundedAndNeverCollideWithLiterals(@ForAll String key) {
    String encoded = KeyMapper.encode(key);
    assertThat(encoded.length()).isLessThanOrEqualTo(KeyMapper.MAX_LITERAL);
    assertThat(encoded.chars()).allMatch(c -> c > 0x20 && c < 0x7F);
    if (KeyMapper.isLiteral(key)) {
      assertThat(encoded).isEqualTo(key).doesNotContain("~");
    } else {
      assertThat(encoded).contains("~");
    }
  }

  @Property
  void distinctKeysGetDistinctStoreKeys(@ForAll String a, @ForAll String b) {
    if (!a.equals(b)) {
      assertThat(KeyMapper.encode(a)).isNotEqualTo(KeyMapper.encode(b));
    }
  }

  @Test
  void namespacesAreChecked() {
    assertThatThrownBy(() -> new KeyMapper("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyMapper("a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyMapper("a*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyMapper("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    assertThat(new KeyMapper("my-app_1.v2").namespace()).isEqualTo("my-app_1.v2");
  }
}
