package dev.cachet.redis;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The Redis form of a version stamp: a signed decimal integer in ASCII ({@code "-7"}), the form
 * {@code INCR} and {@code redis-cli} use, so versions stay readable and scriptable. A value that
 * is not such an integer reads as absent ({@code 0}), which Cachet treats as a change.
 */
final class Versions {
  private Versions() {}

  static byte[] encode(long version) {
    return Long.toString(version).getBytes(StandardCharsets.US_ASCII);
  }

  /** The version in {@code bytes}; {@code 0} for {@code null} or anything but a decimal long. */
  static long decode(byte @Nullable [] bytes) {
    if (bytes == null || bytes.length == 0 || bytes.length > 20) {
      return 0;
    }
    int i = 0;
    boolean negative = bytes[0] == '-';
    if (negative) {
      if (bytes.length == 1) {
        return 0;
      }
      i = 1;
    }
    long value = 0; // accumulated negatively: Long.MIN_VALUE has no positive counterpart
    for (; i < bytes.length; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
        return 0;
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      return value == Long.MIN_VALUE ? 0 : -value;
    }
    return value;
  }

  /** Whether {@code bytes} is a version this class can read. */
  static boolean isValid(byte @Nullable [] bytes) {
    return decode(bytes) != 0;
  }
}
