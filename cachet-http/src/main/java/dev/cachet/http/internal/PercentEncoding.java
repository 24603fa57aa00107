package dev.cachet.http.internal;

import java.io.ByteArrayOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Percent-encoding at the byte level, so that every distinct byte sequence keeps a distinct
 * encoding whatever its charset (no decoding to characters that could merge two inputs).
 * Stateless and thread-safe.
 */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** {@code bytes} as UTF-8, or {@code null} when they are not valid UTF-8 (never a lossy decode). */
  public static @Nullable String strictUtf8(byte[] bytes) {
    try {
      return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /** RFC 3986 unreserved: letters, digits, {@code - . _ ~}. */
  public static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  static void appendEscaped(StringBuilder out, int b) {
    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
  }

  /**
   * Writes the UTF-8 form of {@code cp}. A lone surrogate gets the three bytes the UTF-8 algorithm
   * gives it (not a replacement character), so that distinct strings keep distinct bytes.
   */
  static void writeUtf8(ByteArrayOutputStream out, int cp) {
    if (cp < 0x80) {
      out.write(cp);
    } else if (cp < 0x800) {
      out.write(0xC0 | (cp >> 6));
      out.write(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out.write(0xE0 | (cp >> 12));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    } else {
      out.write(0xF0 | (cp >> 18));
      out.write(0x80 | ((cp >> 12) & 0x3F));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    }
  }

  /** The bytes {@link #writeUtf8} gives for each code point of {@code s}. */
  public static byte[] utf8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      writeUtf8(out, cp);
      i += Character.charCount(cp);
    }
    return out.toByteArray();
  }

  /** Encodes every byte except unreserved ASCII as {@code %XX} (upper-case hex). */
  public static String encodeStrict(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        appendEscaped(out, c);
      }
    }
    return out.toString();
  }

  /** {@link #encodeStrict(byte[])} of the UTF-8 bytes of {@code s}. */
  public static String encodeStrict(String s) {
    return encodeStrict(utf8(s));
  }

  /**
   * Decodes one component of a query ({@code application/x-www-form-urlencoded} rules: {@code +}
   * is a space) to bytes; characters that are not escaped stand for their UTF-8 bytes.
   *
   * @return the bytes, or {@code null} when a {@code %} is not followed by two hex digits
   */
  public static byte @Nullable [] decodeQueryComponent(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = hexValue(raw.charAt(i + 1));
        int lo = hexValue(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write((hi << 4) | lo);
        i += 3;
      } else if (c == '+') {
        out.write(' ');
        i++;
      } else {
        int cp = raw.codePointAt(i);
        writeUtf8(out, cp);
        i += Character.charCount(cp);
      }
    }
    return out.toByteArray();
  }

  /**
   * Decodes a path segment ({@code +} is itself, unlike in a query) to a string, or {@code null}
   * when an escape is malformed or the bytes are not valid UTF-8.
   */
  public static @Nullable String decodePathSegment(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); ) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = hexValue(segment.charAt(i + 1));
        int lo = hexValue(segment.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write((hi << 4) | lo);
        i += 3;
      } else {
        int cp = segment.codePointAt(i);
        writeUtf8(out, cp);
        i += Character.charCount(cp);
      }
    }
    return strictUtf8(out.toByteArray());
  }

  /**
   * Escapes a free-form value (a header value, an identity) for a key segment: printable ASCII
   * stays readable except {@code %} and {@code |}, which, like everything else, become
   * {@code %XX} of their UTF-8 bytes. The result never contains {@code |}, so a value cannot end
   * its segment early, and the escaping is reversible, so distinct values stay distinct.
   */
  public static String escapeKeyValue(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean plain = c > 0x20 && c < 0x7F && c != '%' && c != '|';
      if (plain) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      int cp = value.codePointAt(i);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(4);
      writeUtf8(bytes, cp);
      for (byte b : bytes.toByteArray()) {
        appendEscaped(out, b & 0xFF);
      }
      i += Character.charCount(cp) - 1;
    }
    return out == null ? value : out.toString();
  }
}
