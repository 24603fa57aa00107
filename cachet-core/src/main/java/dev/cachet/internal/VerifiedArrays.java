package dev.cachet.internal;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * Entries whose checksum was verified, by the identity of their array and the store key they
 * were read under: a store that hands out the same array on every hit (the Redis near cache)
 * then has a large entry checked once rather than on every read. Identity is a safe key because
 * a store never modifies an array once it returned it ({@code CacheStore#get}).
 *
 * <p>Direct-mapped and lock-free: a slot is an immutable record replaced whole, holding its
 * array weakly, so it never keeps an evicted entry alive. Thread-safe.
 */
final class VerifiedArrays {
  /** Below this, a checksum costs less than remembering it. */
  static final int FROM_BYTES = 4096;
  private static final int SLOTS = 256;

  private record Slot(WeakReference<byte[]> array, String storeKey) {}

  private final @Nullable Slot[] slots = new Slot[SLOTS];

  private static int index(byte[] array) {
    int h = System.identityHashCode(array);
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  /** Whether this very array was verified under {@code storeKey}. */
  boolean contains(byte[] array, String storeKey) {
    Slot slot = slots[index(array)];
    return slot != null && slot.array.get() == array && slot.storeKey.equals(storeKey);
  }

  /** Records that {@code array} passed its checksum under {@code storeKey} (large arrays only). */
  void add(byte[] array, String storeKey) {
    if (array.length >= FROM_BYTES) {
      // A plain array store of an immutable record: readers see a whole slot or an older one.
      slots[index(array)] = new Slot(new WeakReference<>(array), storeKey);
    }
  }
}
