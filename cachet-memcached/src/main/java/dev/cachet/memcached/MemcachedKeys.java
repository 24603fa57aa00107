package dev.cachet.memcached;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Maps store keys to Memcached keys, which must be 1 to 250 bytes without spaces or control
 * characters.
 *
 * <p>A key of at most {@value #MAX_KEY} printable ASCII characters other than space is used as
 * it is. Any other key becomes its first {@value #PREFIX} characters (non-printable ones replaced
 * by {@code _}), {@code #}, and the 43-character base64url SHA-256 of the whole key. A literal key
 * that happens to have that shape ({@code #} 44 characters from its end) is mapped too, so a
 * literal key never equals a mapped one. Stateless and thread-safe.
 */
final class MemcachedKeys {
  static final int MAX_KEY = 250;
  static final char HASH_MARK = '#';
  static final int HASH_CHARS = 43;
  static final int PREFIX = MAX_KEY - 1 - HASH_CHARS;

  private MemcachedKeys() {}

  static String map(String key) {
    if (isLiteral(key)) {
      return key;
    }
    int visible = Math.min(PREFIX, key.length());
    StringBuilder mapped = new StringBuilder(visible + 1 + HASH_CHARS);
    for (int i = 0; i < visible; i++) {
      char c = key.charAt(i);
      mapped.append(isSafe(c) ? c : '_');
    }
    return mapped.append(HASH_MARK).append(sha256(key)).toString();
  }

  static boolean isLiteral(String key) {
    int n = key.length();
    if (n == 0 || n > MAX_KEY) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!isSafe(key.charAt(i))) {
        return false;
      }
    }
    return !(n > HASH_CHARS && key.charAt(n - 1 - HASH_CHARS) == HASH_MARK);
  }

  private static boolean isSafe(char c) {
    return c > 0x20 && c < 0x7F;
  }

  private static String sha256(String key) {
    // Hash the UTF-16 code units: unlike a charset encoding this is lossless for any string,
    // unpaired surrogates included.
    ByteBuffer units = ByteBuffer.allocate(key.length() * 2);
    for (int i = 0; i < key.length(); i++) {
      units.putChar(key.charAt(i));
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(units.array());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
