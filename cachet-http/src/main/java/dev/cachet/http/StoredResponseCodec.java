package dev.cachet.http;

import dev.cachet.Codec;
import dev.cachet.internal.ArrayMemo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The binary form of a {@link StoredResponse}, body first so that a captured body can stay where
 * it was written ({@link #placement}):
 *
 * <pre>
 *   body         the bytes (their length is in the trailer)
 *   count        varint: number of header lines
 *   per line     varint length + UTF-8 name, varint length + UTF-8 value
 *   status       2 bytes, big-endian
 *   body length  4 bytes, big-endian
 *   [identity length  4 bytes, big-endian]   only in version 3
 *   version      1 byte (2, or 3 for a body Cachet gzip-compressed)
 * </pre>
 *
 * <p>Version 3 is written only for compressed bodies ({@link Compression}); the identity length
 * is the body's length before compression. Everything else is still written as version 2, which
 * processes that predate compression read.
 *
 * <p>Varints are unsigned LEB128 of at most 5 bytes. Anything else (another version, a length
 * past the end, bytes between the headers and the trailer, a header that is not valid UTF-8 or
 * not a valid header) throws {@link IllegalArgumentException}, which the core counts as a corrupt
 * entry and a miss. Thread-safe.
 */
final class StoredResponseCodec implements Codec<StoredResponse> {
  static final StoredResponseCodec INSTANCE = new StoredResponseCodec();
  static final byte VERSION = 2;
  /** The version of a gzip body Cachet compressed: the trailer also holds the identity length. */
  static final byte GZIPPED_VERSION = 3;
  /** Status, body length, version. */
  private static final int TRAILER = 2 + 4 + 1;
  /** The smallest gzip member: a 10-byte header, an empty deflate block, the 8-byte trailer. */
  private static final int GZIP_FRAME = 10 + 2 + 8;
  /** Deflate never expands its input more than this many times (RFC 1951 blocks, 258-byte matches). */
  private static final int MAX_DEFLATE_RATIO = 1032;

  /** What decoding a range of an entry's array produced. */
  private record Decoded(int status, HttpHeaders headers, int bodyStart, int bodyLength, int identityLength) {}

  private final ArrayMemo<Decoded> recent = new ArrayMemo<>();

  private StoredResponseCodec() {}

  @Override
  public byte[] encode(StoredResponse value) {
    byte[] out = new byte[encodedLength(value)];
    encodeInto(value, out, 0);
    return out;
  }

  /** Known in advance: the core writes a stored response straight into its entry. */
  @Override
  public int encodedLength(StoredResponse value) {
    long size = (long) value.bodyLength() + afterBodyLength(value);
    if (size > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException("a stored response is at most 2 GiB");
    }
    return (int) size;
  }

  @Override
  public void encodeInto(StoredResponse value, byte[] target, int offset) {
    Body body = value.bodyView();
    body.copyInto(target, offset);
    writeAfterBody(value, target, offset + body.length());
  }

  /**
   * The captured body's own array, once per response and when the headers and trailer fit after
   * the body: they are written there, and the body is not copied.
   */
  @Override
  public @Nullable Placement placement(StoredResponse value) {
    Body body = value.bodyView();
    byte[] array = body.soleArray();
    if (array == null || !value.takePlacement()) {
      return null;
    }
    int end = body.offset() + body.length();
    int after = afterBodyLength(value);
    if (after > array.length - end) {
      return null;
    }
    writeAfterBody(value, array, end);
    return new Placement(array, body.offset(), body.length() + after);
  }

  private static int trailerLength(StoredResponse value) {
    return value.gzipped() ? TRAILER + 4 : TRAILER;
  }

  private static int afterBodyLength(StoredResponse value) {
    List<byte[]> lines = headerBytes(value);
    int size = varintSize(lines.size() / 2) + trailerLength(value);
    for (byte[] b : lines) {
      size += varintSize(b.length) + b.length;
    }
    return size;
  }

  private static void writeAfterBody(StoredResponse value, byte[] target, int at) {
    List<byte[]> lines = headerBytes(value);
    ByteBuffer out = ByteBuffer.wrap(target, at, target.length - at);
    writeVarint(out, lines.size() / 2);
    for (byte[] b : lines) {
      writeVarint(out, b.length);
      out.put(b);
    }
    out.putShort((short) value.status()).putInt(value.bodyLength());
    if (value.gzipped()) {
      out.putInt(value.identityLength()).put(GZIPPED_VERSION);
    } else {
      out.put(VERSION);
    }
  }

  /** Name, value, name, value... as UTF-8 (memoized per response: asked for twice per store). */
  private static List<byte[]> headerBytes(StoredResponse value) {
    List<byte[]> lines = value.encodedHeaders;
    if (lines == null) {
      List<byte[]> built = new ArrayList<>();
      value.headers().forEach((name, values) -> {
        for (String v : values) {
          built.add(name.getBytes(StandardCharsets.UTF_8));
          built.add(v.getBytes(StandardCharsets.UTF_8));
        }
      });
      lines = List.copyOf(built);
      value.encodedHeaders = lines;
    }
    return lines;
  }

  @Override
  public StoredResponse decode(byte[] bytes) {
    return parse(bytes, 0, bytes.length, false); // a caller's array may change: not remembered
  }

  /**
   * Decodes in place: the response's body is a view of {@code bytes}, which nobody modifies (the
   * {@link Codec} contract of this method), so the headers decoded from an array are also
   * remembered by its identity ({@link ArrayMemo}).
   */
  @Override
  public StoredResponse decode(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    Decoded known = recent.find(bytes, offset, length);
    if (known != null) {
      Body body = known.bodyLength() == 0 ? Body.EMPTY : new Body(bytes, known.bodyStart(), known.bodyLength());
      return response(known.status(), known.headers(), body, known.identityLength());
    }
    return parse(bytes, offset, length, true);
  }

  private StoredResponse parse(byte[] bytes, int offset, int length, boolean remember) {
    if (length < TRAILER) {
      throw new IllegalArgumentException("truncated stored response");
    }
    int end = offset + length;
    int version = bytes[end - 1];
    if (version != VERSION && version != GZIPPED_VERSION) {
      throw new IllegalArgumentException("unknown stored-response version " + version);
    }
    int trailerLength = version == GZIPPED_VERSION ? TRAILER + 4 : TRAILER;
    if (length < trailerLength) {
      throw new IllegalArgumentException("truncated stored response");
    }
    ByteBuffer trailer = ByteBuffer.wrap(bytes, end - trailerLength, trailerLength);
    int status = Short.toUnsignedInt(trailer.getShort());
    int bodyLength = trailer.getInt();
    if (bodyLength < 0 || bodyLength > length - trailerLength) {
      throw new IllegalArgumentException("body length " + bodyLength + " past the end of the entry");
    }
    int identityLength = -1;
    if (version == GZIPPED_VERSION) {
      identityLength = trailer.getInt();
      if (identityLength < 0) {
        throw new IllegalArgumentException("negative identity length " + identityLength);
      }
    }
    if (version == GZIPPED_VERSION) {
      checkGzip(bytes, offset, bodyLength, identityLength);
    }
    Reader in = new Reader(bytes, offset + bodyLength, end - trailerLength);
    int count = in.varint();
    HttpHeaders.Builder headers = HttpHeaders.builder();
    for (int i = 0; i < count; i++) {
      String name = in.string();
      headers.add(name, in.string()); // validates the name and the value
    }
    if (in.pos != in.end) {
      throw new IllegalArgumentException("trailing bytes after the headers");
    }
    Body body = bodyLength == 0 ? Body.EMPTY : new Body(bytes, offset, bodyLength);
    HttpHeaders built = headers.build();
    if (remember) {
      recent.remember(bytes, offset, length, new Decoded(status, built, offset, bodyLength, identityLength));
    }
    return response(status, built, body, identityLength);
  }

  /**
   * Rejects a gzip body whose frame does not match the identity length stored with it (its magic
   * bytes, its ISIZE trailer, a length deflate could reach), so that damage is a corrupt entry,
   * a miss, and never a failure when a hit is inflated or a huge array allocated for it.
   */
  private static void checkGzip(byte[] bytes, int offset, int bodyLength, int identityLength) {
    if (bodyLength < GZIP_FRAME || (bytes[offset] & 0xff) != 0x1f || (bytes[offset + 1] & 0xff) != 0x8b) {
      throw new IllegalArgumentException("the stored gzip body is not gzip");
    }
    long isize = ByteBuffer.wrap(bytes, offset + bodyLength - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
        & 0xffffffffL;
    if (isize != identityLength || identityLength > (long) bodyLength * MAX_DEFLATE_RATIO) {
      throw new IllegalArgumentException("the stored gzip body does not inflate to " + identityLength + " bytes");
    }
  }

  private static StoredResponse response(int status, HttpHeaders headers, Body body, int identityLength) {
    return identityLength < 0
        ? StoredResponse.wrap(status, headers, body)
        : StoredResponse.wrapGzipped(status, headers, body, identityLength, null);
  }

  /** Without a version: one codec writes both versions, and each entry's trailer says which. */
  @Override
  public String contentType() {
    return "application/vnd.cachet.http-response";
  }

  private static int varintSize(int value) {
    int size = 1;
    for (int v = value >>> 7; v != 0; v >>>= 7) {
      size++;
    }
    return size;
  }

  private static void writeVarint(ByteBuffer out, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    int pos;

    Reader(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.pos = start;
      this.end = end;
    }

    int u8() {
      if (pos >= end) {
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

    /** Skips {@code length} bytes; returns where they start. */
    int skip(int length) {
      if (length > end - pos) {
        throw new IllegalArgumentException("length " + length + " past the end of the entry");
      }
      int start = pos;
      pos += length;
      return start;
    }

    /** Strict UTF-8 (malformed bytes throw), with a plain copy for ASCII, which headers nearly always are. */
    String string() {
      int length = varint();
      int start = skip(length);
      boolean ascii = true;
      for (int i = start; i < start + length && ascii; i++) {
        ascii = bytes[i] >= 0;
      }
      if (ascii) {
        return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, start, length))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("a header is not valid UTF-8", e);
      }
    }
  }
}
