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

  /** The media type of the encoded form, kept with the entry. */
  default String contentType() {
    return "application/octet-stream";
  }
}
