package dev.cachet.internal;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * Values recently worked out from ranges of stored arrays, by the identity of the array: the
 * memory store and the Redis near cache hand out the same array on every hit, so work done on a
 * hot entry (checking its checksum, decoding its headers) is done once instead of on every read.
 * Identity is a safe key because a store never modifies an array once it stored or returned it.
 *
 * <p>Direct-mapped and lock-free: a slot is an immutable record replaced whole. A slot holds its
 * array weakly, so it never keeps an evicted entry alive. Thread-safe.
 *
 * @param <V> what is remembered per range; it must not refer to the array
 */
public final class ArrayMemo<V> {
  private static final int SLOTS = 256;

  private record Slot<V>(WeakReference<byte[]> array, int offset, int length, V value) {}

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array: raw creation, unchecked assignment
  private final @Nullable Slot<V>[] slots = new Slot[SLOTS];

  private static int index(byte[] array, int offset) {
    int h = System.identityHashCode(array) * 31 + offset;
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  /** What was remembered for exactly this range of this very array, or {@code null}. */
  public @Nullable V find(byte[] array, int offset, int length) {
    Slot<V> slot = slots[index(array, offset)];
    if (slot == null || slot.array.get() != array || slot.offset != offset || slot.length != length) {
      return null;
    }
    return slot.value;
  }

  /** Remembers {@code value} for this range of this array, in place of what shared its slot. */
  public void remember(byte[] array, int offset, int length, V value) {
    // A plain array store of an immutable record: readers see a whole slot or an older one.
    slots[index(array, offset)] = new Slot<>(new WeakReference<>(array), offset, length, value);
  }
}
