package dev.cachet.http;

import dev.cachet.Codec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link StoredResponse}:
 *
 * <pre>
 *   version   1 byte (1)
 *   status    2 bytes, big-endian
 *   count     varint: number of header lines
 *   per line  varint length + UTF-8 name, varint length + UTF-8 value
 *   body      varint length + bytes
 * </pre>
 *
 * <p>Varints are unsigned LEB128 of at most 5 bytes. Anything else (another version, a length
 * past the end, trailing bytes, a header that is not valid UTF-8 or not a valid header) throws
 * {@link IllegalArgumentException}, which the core counts as a corrupt entry and a miss.
 * Thread-safe.
 */
final class StoredResponseCodec implements Codec<StoredResponse> {
  static final StoredResponseCodec INSTANCE = new StoredResponseCodec();
  static final byte VERSION = 1;

  private StoredResponseCodec() {}

  @Override
  public byte[] encode(StoredResponse value) {
    byte[] body = value.bodyUnsafe();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    out.write(VERSION);
    out.write(value.status() >> 8);
    out.write(value.status() & 0xFF);
    List<byte[]> lines = new ArrayList<>();
    value.headers().forEach((name, values) -> {
      for (String v : values) {
        lines.add(name.getBytes(StandardCharsets.UTF_8));
        lines.add(v.getBytes(StandardCharsets.UTF_8));
      }
    });
    writeVarint(out, lines.size() / 2);
    for (byte[] b : lines) {
      writeVarint(out, b.length);
      out.write(b, 0, b.length);
    }
    writeVarint(out, body.length);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  @Override
  public StoredResponse decode(byte[] bytes) {
    Reader in = new Reader(bytes);
    int version = in.u8();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown stored-response version " + version);
    }
    int status = (in.u8() << 8) | in.u8();
    int count = in.varint();
    HttpHeaders.Builder headers = HttpHeaders.builder();
    for (int i = 0; i < count; i++) {
      String name = in.string();
      headers.add(name, in.string()); // validates the name and the value
    }
    byte[] body = in.bytes(in.varint());
    if (in.pos != bytes.length) {
      throw new IllegalArgumentException("trailing bytes after the body");
    }
    return StoredResponse.wrap(status, headers.build(), body);
  }

  @Override
  public String contentType() {
    return "application/vnd.cachet.http-response;v=1";
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static final class Reader {
    private final byte[] bytes;
    int pos;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int u8() {
      if (pos >= bytes.length) {
        throw new IllegalArgumentException("truncated stored response");
      }
      return bytes[pos++] & 0xFF;
    }

    int varint() {
      int result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = u8();
        result |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (result < 0 || (shift == 28 && b > 0x07)) {
            throw new IllegalArgumentException("varint out of range");
          }
          return result;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    byte[] bytes(int length) {
      if (length > bytes.length - pos) {
        throw new IllegalArgumentException("length " + length + " past the end of the entry");
      }
      byte[] out = java.util.Arrays.copyOfRange(bytes, pos, pos + length);
      pos += length;
      return out;
    }

    String string() {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes(varint())))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("a header is not valid UTF-8", e);
      }
    }
  }
}
