package dev.cachet.http;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * The status and headers recently decoded from stored entries, by the identity of the entry's
 * array: the memory store (and the Redis near cache) hand out the same array on every hit, so a
 * hot entry's headers are parsed and validated once instead of on every request.
 *
 * <p>Direct-mapped and lock-free: a slot is an immutable record replaced whole. A slot holds
 * its array weakly and nothing else of it (not the body), so it never keeps an evicted entry
 * alive. Arrays are never modified once stored, which is what makes identity a safe key.
 * Thread-safe.
 */
final class RecentDecodes {
  private static final int SLOTS = 256;

  /** What decoding {@code length} bytes from {@code offset} of an array produced. */
  record Decoded(int status, HttpHeaders headers, int bodyStart, int bodyLength) {}

  private record Slot(WeakReference<byte[]> array, int offset, int length, Decoded decoded) {}

  @SuppressWarnings("unchecked")
  private final @Nullable Slot[] slots = new Slot[SLOTS];

  private static int index(byte[] array, int offset) {
    int h = System.identityHashCode(array) * 31 + offset;
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  /** What was decoded from exactly this range of this very array, or {@code null}. */
  @Nullable Decoded find(byte[] array, int offset, int length) {
    Slot slot = slots[index(array, offset)];
    if (slot == null || slot.array.get() != array || slot.offset != offset || slot.length != length) {
      return null;
    }
    return slot.decoded;
  }

  void remember(byte[] array, int offset, int length, Decoded decoded) {
    // A plain array store of an immutable record: readers see a whole slot or an older one.
    slots[index(array, offset)] = new Slot(new WeakReference<>(array), offset, length, decoded);
  }
}
