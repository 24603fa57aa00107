package dev.cachet;

/**
 * Turns values into the bytes Cachet stores and back.
 *
 * <p>Implementations are thread-safe and deterministic. {@link #decode} throws any
 * {@link RuntimeException} on bytes it cannot read; Cachet counts that as a corrupt entry and
 * reloads. Java serialization is deliberately not offered: it is unsafe on bytes from a shared
 * store.
 *
 * @param <V> the value type
 */
public interface Codec<V> {

  /** Encodes a non-null value. */
  byte[] encode(V value);

  /** Decodes bytes produced by {@link #encode}; throws on anything else. */
  V decode(byte[] bytes);

  /**
   * Decodes the {@code length} bytes of {@code bytes} from {@code offset}, which {@link #encode}
   * produced; throws on anything else. Cachet reads stored values this way, straight out of the
   * entry it read, and never modifies those bytes afterwards; an implementation may therefore
   * keep a view of them instead of a copy, provided the value it returns never lets them be
   * modified either. The default copies the range and calls {@link #decode(byte[])}.
   */
  default V decode(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    if (offset == 0 && length == bytes.length) {
      return decode(bytes.clone());
    }
    return decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * The exact number of bytes {@link #encode} would produce for {@code value}, or {@code -1}
   * when it is not known in advance. A codec that knows it also implements {@link #encodeInto},
   * and Cachet then writes the value straight into the entry it stores, without an intermediate
   * array. The default is {@code -1}.
   */
  default int encodedLength(V value) {
    return -1;
  }

  /**
   * Writes exactly the bytes {@link #encode} would produce for {@code value} into
   * {@code target} from {@code offset}; called only when {@link #encodedLength} answered a
   * length, with that much room.
   */
  default void encodeInto(V value, byte[] target, int offset) {
    throw new UnsupportedOperationException(getClass().getName() + " does not encode in place");
  }

  /** The media type of the encoded form, kept with the entry. */
  default String contentType() {
    return "application/octet-stream";
  }
}
