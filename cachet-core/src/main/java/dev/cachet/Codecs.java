package dev.cachet;

import java.nio.charset.StandardCharsets;

/**
 * The codecs that need no dependency. For JSON see {@code dev.cachet.codec.JsonCodec}. Both are
 * stateless and thread-safe.
 */
public final class Codecs {
  private static final Codec<byte[]> BYTES =
      new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
          return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes;
        }
      };

  private static final Codec<String> UTF8 =
      new Codec<>() {
        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes, int offset, int length) {
          return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        @Override
        public String contentType() {
          return "text/plain; charset=utf-8";
        }
      };

  private Codecs() {}

  /** Bytes as they are (not copied: callers must not change an array after handing it over). */
  public static Codec<byte[]> bytes() {
    return BYTES;
  }

  /** Strings as UTF-8. */
  public static Codec<String> utf8() {
    return UTF8;
  }
}
