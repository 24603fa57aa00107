package dev.cachet.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A stored entry: the value's bytes and everything needed to judge it without other state.
 *
 * <p>Binary layout, version 1 (big-endian):
 *
 * <pre>
 * magic 0xCA 0xC7 | format 0x01 | flags (bit 0: original key present; bit 1: unchecked;
 *                                        bit 2: placed)
 * createdAt, freshUntil, staleWhileRevalidateUntil, staleIfErrorUntil, refreshAt : 5 x int64 millis
 * namespace version : int64
 * tag count : uint16, then per tag: name length uint16, UTF-8 name, hard int64, soft int64
 * [original key: length int32 in chars, UTF-16 code units]  (only for hashed keys; lossless)
 * content type : length uint16, UTF-8
 * [lead : int32 n, then n unused bytes]  (only in a placed entry)
 * value : length int32, bytes
 * [unused bytes]  (only in a placed entry)
 * CRC32C of the store key the entry is written under, then of everything above : int32
 *   (of the store key alone in an unchecked entry)
 * </pre>
 *
 * <p>A placed entry ({@link #encodePlaced}) is written around a value that already lies in the
 * array that becomes the entry, so that storing it copies nothing; the unused bytes before and
 * after the value are what the array had to spare, zeroed.
 *
 * Anything that does not parse exactly (strings must be well-formed UTF-8), fails its checksum,
 * or was written under another store key (the key is part of the checksum, at no cost in
 * bytes) is rejected by {@link #decode}. Unchecked entries are for stores whose bytes never leave
 * the process, where nothing can damage them: their checksum covers the store key only (an entry
 * put under another key is still refused), and they decode only where the caller trusts them.
 *
 * @param tagNames the entry's tags in store form ({@link KeyMapper#encode}), in recorded order
 * @param tagVersions per tag, the hard then the soft version observed before the value was loaded
 * @param originalKey the caller's key when the store key is a hash of it
 */
public record Envelope(
    long createdAt,
    long freshUntil,
    long staleWhileRevalidateUntil,
    long staleIfErrorUntil,
    long refreshAt,
    long namespaceVersion,
    List<String> tagNames,
    long[] tagVersions,
    @Nullable String originalKey,
    String contentType,
    byte[] valueArray,
    int valueOffset,
    int valueLength) {

  static final byte MAGIC_0 = (byte) 0xCA;
  static final byte MAGIC_1 = (byte) 0xC7;
  static final byte FORMAT = 1;
  static final int FLAG_ORIGINAL_KEY = 1;
  static final int FLAG_UNCHECKED = 2;
  static final int FLAG_PLACED = 4;
  private static final int MAX_SHORT = 0xFFFF;

  public Envelope {
    Objects.requireNonNull(tagNames, "tagNames");
    Objects.requireNonNull(tagVersions, "tagVersions");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(valueArray, "valueArray");
    Objects.checkFromIndexSize(valueOffset, valueLength, valueArray.length);
    if (tagVersions.length != tagNames.size() * 2) {
      throw new IllegalArgumentException("two versions per tag expected");
    }
  }

  /** An entry whose value is all of {@code value} (not copied). */
  public Envelope(
      long createdAt, long freshUntil, long staleWhileRevalidateUntil, long staleIfErrorUntil,
      long refreshAt, long namespaceVersion, List<String> tagNames, long[] tagVersions,
      @Nullable String originalKey, String contentType, byte[] value) {
    this(createdAt, freshUntil, staleWhileRevalidateUntil, staleIfErrorUntil, refreshAt,
        namespaceVersion, tagNames, tagVersions, originalKey, contentType, value, 0, value.length);
  }

  /**
   * A copy of the value's bytes. Decoded entries keep their value as a range of the bytes they
   * were read from ({@link #valueArray}, {@link #valueOffset}, {@link #valueLength}), so that a
   * hit copies nothing until a codec chooses to.
   */
  public byte[] value() {
    return Arrays.copyOfRange(valueArray, valueOffset, valueOffset + valueLength);
  }

  /** When the entry may no longer be served at all. */
  public long hardExpiry() {
    return Math.max(freshUntil, Math.max(staleWhileRevalidateUntil, staleIfErrorUntil));
  }

  /** Encodes this entry, bound to no store key (for tests of the format itself). */
  public byte[] encode() {
    return encode("");
  }

  /** Writes a value's bytes in place, straight into an entry being encoded. */
  @FunctionalInterface
  public interface ValueWriter {
    void write(byte[] target, int offset);
  }

  /** Encodes this entry for the store key {@code boundTo}: it decodes only under that key. */
  public byte[] encode(String boundTo) {
    return encode(boundTo, true);
  }

  /** As {@link #encode(String)}; without a checksum unless {@code checked} (see the class doc). */
  public byte[] encode(String boundTo, boolean checked) {
    return encode(boundTo, valueLength, checked,
        (target, offset) -> System.arraycopy(valueArray, valueOffset, target, offset, valueLength));
  }

  /**
   * Encodes this entry for {@code boundTo} with a value of {@code length} bytes that
   * {@code writer} writes in place (this entry's own value is ignored): a value is then copied
   * once, into the entry, instead of twice. The value starts {@code length + 4} bytes before the
   * end of the result. Without a checksum unless {@code checked} (see the class doc).
   */
  public byte[] encode(String boundTo, int length, boolean checked, ValueWriter writer) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    Fields fields = new Fields(this);
    int size = fields.size + 4 + length + 4;
    ByteBuffer buf = ByteBuffer.allocate(size);
    fields.put(buf, checked ? 0 : FLAG_UNCHECKED);
    buf.putInt(length);
    writer.write(buf.array(), buf.position());
    buf.position(buf.position() + length);
    buf.putInt(checksum(boundTo, buf.array(), checked ? size - 4 : 0));
    return buf.array();
  }

  /**
   * Encodes this entry for {@code boundTo} around a value that already lies in {@code array}
   * ({@code length} bytes from {@code valueOffset}; this entry's own value is ignored): its
   * fields go before the value and the checksum into the array's last 4 bytes, and the array
   * becomes the entry (a placed entry, see the class doc). The value's bytes are not touched.
   *
   * @return {@code array}, or {@code null} (nothing written) when the fields do not fit before
   *     the value, the checksum does not fit after it, or more than {@code maxUnused} bytes
   *     would be left unused
   */
  public byte @Nullable [] encodePlaced(
      String boundTo, boolean checked, byte[] array, int valueOffset, int length, int maxUnused) {
    Objects.checkFromIndexSize(valueOffset, length, array.length);
    Fields fields = new Fields(this);
    int lead = valueOffset - 4 - (fields.size + 4);
    int valueEnd = valueOffset + length;
    int tail = array.length - 4 - valueEnd;
    if (lead < 0 || tail < 0 || (long) lead + tail > maxUnused) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(array);
    fields.put(buf, FLAG_PLACED | (checked ? 0 : FLAG_UNCHECKED));
    buf.putInt(lead);
    Arrays.fill(array, buf.position(), buf.position() + lead, (byte) 0);
    buf.position(buf.position() + lead);
    buf.putInt(length);
    Arrays.fill(array, valueEnd, valueEnd + tail, (byte) 0);
    buf.putInt(array.length - 4, checksum(boundTo, array, checked ? array.length - 4 : 0));
    return array;
  }

  /** An entry's fields before its value, in bytes: sized first, then written. */
  private static final class Fields {
    private final Envelope e;
    private final byte[][] names;
    private final byte @Nullable [] key;
    private final byte[] type;
    final int size;

    Fields(Envelope e) {
      this.e = e;
      names = new byte[e.tagNames.size()][];
      int n = 2 + 1 + 1 + 6 * 8 + 2;
      for (int i = 0; i < names.length; i++) {
        names[i] = utf8Short(e.tagNames.get(i), "tag");
        n += 2 + names[i].length + 16;
      }
      key = e.originalKey == null ? null : utf16(e.originalKey);
      if (key != null) {
        n += 4 + key.length;
      }
      type = utf8Short(e.contentType, "content type");
      size = n + 2 + type.length;
    }

    void put(ByteBuffer buf, int flags) {
      int all = flags | (key == null ? 0 : FLAG_ORIGINAL_KEY);
      buf.put(MAGIC_0).put(MAGIC_1).put(FORMAT).put((byte) all);
      buf.putLong(e.createdAt).putLong(e.freshUntil).putLong(e.staleWhileRevalidateUntil);
      buf.putLong(e.staleIfErrorUntil).putLong(e.refreshAt).putLong(e.namespaceVersion);
      buf.putShort((short) names.length);
      for (int i = 0; i < names.length; i++) {
        buf.putShort((short) names[i].length).put(names[i]);
        buf.putLong(e.tagVersions[2 * i]).putLong(e.tagVersions[2 * i + 1]);
      }
      if (key != null) {
        buf.putInt(key.length / 2).put(key);
      }
      buf.putShort((short) type.length).put(type);
    }
  }

  /**
   * Decodes bytes written by {@link #encode}.
   *
   * @return the entry, or {@code null} when the bytes are not a well-formed, intact envelope of a
   *     format this version reads
   */
  public static @Nullable Envelope decode(byte[] bytes) {
    return decode(bytes, "");
  }

  /** Decodes checked bytes written by {@link #encode(String)} for the store key {@code boundTo}. */
  public static @Nullable Envelope decode(byte[] bytes, String boundTo) {
    return decode(bytes, boundTo, false);
  }

  /**
   * Decodes bytes written by {@link #encode(String, boolean)} for the store key {@code boundTo};
   * an unchecked entry only when {@code trustUnchecked} (it was read from a store whose bytes
   * never leave the process).
   */
  public static @Nullable Envelope decode(byte[] bytes, String boundTo, boolean trustUnchecked) {
    return decode(bytes, boundTo, trustUnchecked, false);
  }

  /**
   * As {@link #decode(byte[], String, boolean)}; without comparing the checksum when
   * {@code verified} (these very bytes passed it under {@code boundTo} before).
   */
  public static @Nullable Envelope decode(
      byte[] bytes, String boundTo, boolean trustUnchecked, boolean verified) {
    if (bytes.length < 64 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1 || bytes[2] != FORMAT) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    boolean unchecked = (bytes[3] & FLAG_UNCHECKED) != 0;
    if (unchecked && !trustUnchecked) {
      return null;
    }
    if (!verified
        && buf.getInt(bytes.length - 4) != checksum(boundTo, bytes, unchecked ? 0 : bytes.length - 4)) {
      return null;
    }
    try {
      buf.position(3);
      int flags = buf.get();
      long createdAt = buf.getLong();
      long freshUntil = buf.getLong();
      long swrUntil = buf.getLong();
      long sieUntil = buf.getLong();
      long refreshAt = buf.getLong();
      long nsVersion = buf.getLong();
      int tagCount = Short.toUnsignedInt(buf.getShort());
      if ((long) tagCount * 18 > buf.remaining()) {
        return null; // cannot hold that many tags: do not allocate for them
      }
      String[] names = new String[tagCount];
      long[] versions = new long[tagCount * 2];
      for (int i = 0; i < tagCount; i++) {
        names[i] = readShortString(buf);
        versions[2 * i] = buf.getLong();
        versions[2 * i + 1] = buf.getLong();
      }
      String originalKey = (flags & FLAG_ORIGINAL_KEY) != 0 ? readUtf16(buf, buf.getInt()) : null;
      String contentType = readShortString(buf);
      boolean placed = (flags & FLAG_PLACED) != 0;
      if (placed) {
        int lead = buf.getInt();
        if (lead < 0 || lead > buf.remaining()) {
          return null;
        }
        buf.position(buf.position() + lead);
      }
      int length = buf.getInt();
      if (length < 0 || (placed ? length > buf.remaining() - 4 : length != buf.remaining() - 4)) {
        return null;
      }
      // The value stays where it is: decoding a hit copies nothing (see value()).
      return new Envelope(
          createdAt, freshUntil, swrUntil, sieUntil, refreshAt, nsVersion, List.of(names),
          versions, originalKey, contentType, bytes, buf.position(), length);
    } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
  }

  private static int checksum(String boundTo, byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    // Store keys are printable ASCII: their chars are their bytes.
    for (int i = 0; i < boundTo.length(); i++) {
      crc.update(boundTo.charAt(i));
    }
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static byte[] utf16(String s) {
    byte[] units = new byte[s.length() * 2];
    for (int i = 0; i < s.length(); i++) {
      units[2 * i] = (byte) (s.charAt(i) >>> 8);
      units[2 * i + 1] = (byte) s.charAt(i);
    }
    return units;
  }

  private static String readUtf16(ByteBuffer buf, int chars) {
    if (chars < 0 || chars > buf.remaining() / 2) {
      throw new BufferUnderflowException();
    }
    char[] out = new char[chars];
    for (int i = 0; i < chars; i++) {
      out[i] = buf.getChar();
    }
    return new String(out);
  }

  /** Strict UTF-8: malformed bytes fail the decode instead of becoming replacement characters. */
  private static String readShortString(ByteBuffer buf) throws CharacterCodingException {
    int length = Short.toUnsignedInt(buf.getShort());
    if (length > buf.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] array = buf.array();
    int start = buf.position();
    boolean ascii = true;
    for (int i = start; i < start + length && ascii; i++) {
      ascii = array[i] >= 0;
    }
    if (ascii) { // tags and content types nearly always are: no decoder needed
      buf.position(start + length);
      return new String(array, start, length, StandardCharsets.ISO_8859_1);
    }
    ByteBuffer slice = ByteBuffer.wrap(array, start, length);
    String s = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(slice)
        .toString();
    buf.position(buf.position() + length);
    return s;
  }

  private static byte[] utf8Short(String s, String what) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_SHORT) {
      throw new IllegalArgumentException(what + " longer than " + MAX_SHORT + " UTF-8 bytes");
    }
    return bytes;
  }

  // Records compare arrays by identity; entries are compared by content in tests.
  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && createdAt == e.createdAt
        && freshUntil == e.freshUntil
        && staleWhileRevalidateUntil == e.staleWhileRevalidateUntil
        && staleIfErrorUntil == e.staleIfErrorUntil
        && refreshAt == e.refreshAt
        && namespaceVersion == e.namespaceVersion
        && tagNames.equals(e.tagNames)
        && java.util.Arrays.equals(tagVersions, e.tagVersions)
        && Objects.equals(originalKey, e.originalKey)
        && contentType.equals(e.contentType)
        && Arrays.equals(valueArray, valueOffset, valueOffset + valueLength,
            e.valueArray, e.valueOffset, e.valueOffset + e.valueLength);
  }

  @Override
  public int hashCode() {
    return Objects.hash(createdAt, freshUntil, tagNames, originalKey, contentType)
        + 31 * valueLength;
  }

  @Override
  public String toString() {
    return "Envelope[createdAt=" + createdAt + ", freshUntil=" + freshUntil + ", tags=" + tagNames
        + ", key=" + originalKey + ", contentType=" + contentType + ", " + valueLength + " bytes]";
  }
}
