package dev.cachet;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  /**
   * Where {@code value}'s encoding already lies, in an array that Cachet may take over as the
   * stored entry itself, so that storing the value copies nothing; or {@code null}, the default,
   * to have it encoded into a new entry. Cachet asks only when storing in a store whose bytes
   * never leave the process, writes the entry's own fields into the array's bytes outside the
   * placement's range, and never modifies the range itself.
   *
   * <p>An implementation hands a given array out at most once (a second call for the same value
   * answers {@code null}), never writes to it afterwards, and only for arrays nothing else
   * writes to; the value may keep reading the placement's range.
   */
  default @Nullable Placement placement(V value) {
    return null;
  }

  /**
   * The {@code length} bytes of {@code array} from {@code offset}: exactly what
   * {@link #encode} produces for the value; the rest of the array is free.
   */
  record Placement(byte[] array, int offset, int length) {
    public Placement {
      Objects.requireNonNull(array, "array");
      Objects.checkFromIndexSize(offset, length, array.length);
    }
  }

  /** The media type of the encoded form, kept with the entry. */
  default String contentType() {
    return "application/octet-stream";
  }
}
