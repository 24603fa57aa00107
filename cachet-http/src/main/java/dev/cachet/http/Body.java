package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response body as ranges of arrays nobody modifies: the chunks a handler's body was captured
 * in, or the range of a stored entry a hit decoded. Sharing the ranges instead of copying them
 * keeps a hit from copying its body at all and a miss from copying it more than once (into the
 * entry). Immutable by convention: no code writes to the arrays once a {@code Body} views them.
 */
final class Body {
  static final Body EMPTY = new Body(new byte[0], 0, 0);

  // One range in plain fields (what a hit decodes: no arrays to allocate); more only for chunks.
  private final byte[] array;
  private final int offset;
  private final int firstLength;
  private final byte @Nullable [][] more;
  private final int @Nullable [] moreLengths;
  private final int length;

  /** One range: {@code length} bytes of {@code array} from {@code offset}. */
  Body(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    this.array = array;
    this.offset = offset;
    this.firstLength = length;
    this.more = null;
    this.moreLengths = null;
    this.length = length;
  }

  private Body(byte[][] arrays, int firstOffset, int[] lengths, int length) {
    this.array = arrays[0];
    this.offset = firstOffset;
    this.firstLength = lengths[0];
    this.more = Arrays.copyOfRange(arrays, 1, arrays.length);
    this.moreLengths = Arrays.copyOfRange(lengths, 1, lengths.length);
    this.length = length;
  }

  private int segments() {
    return more == null ? 1 : 1 + more.length;
  }

  private byte[] arrayOf(int i) {
    return i == 0 ? array : more[i - 1];
  }

  private int offsetOf(int i) {
    return i == 0 ? offset : 0;
  }

  private int lengthOf(int i) {
    return i == 0 ? firstLength : moreLengths[i - 1];
  }

  /** The whole of {@code bytes}, not copied. */
  static Body of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Body(bytes, 0, bytes.length);
  }

  /** The first {@code lengths[i]} bytes of each of {@code arrays}, in order, not copied. */
  static Body ofChunks(byte[][] arrays, int[] lengths) {
    return ofChunks(arrays, 0, lengths);
  }

  /**
   * {@code lengths[i]} bytes of each of {@code arrays}, in order, not copied: from
   * {@code firstOffset} in the first array, from the start in the others.
   */
  static Body ofChunks(byte[][] arrays, int firstOffset, int[] lengths) {
    if (arrays.length != lengths.length || arrays.length == 0) {
      throw new IllegalArgumentException("one length per array expected");
    }
    long total = 0;
    for (int i = 0; i < arrays.length; i++) {
      Objects.checkFromIndexSize(i == 0 ? firstOffset : 0, lengths[i], arrays[i].length);
      total += lengths[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a body is at most 2 GiB");
    }
    if (total == 0) {
      return EMPTY;
    }
    return arrays.length == 1
        ? new Body(arrays[0], firstOffset, lengths[0])
        : new Body(arrays, firstOffset, lengths, (int) total);
  }

  /** The array of a body that is one range, or {@code null} when it spans several. */
  byte @Nullable [] soleArray() {
    return more == null ? array : null;
  }

  /** Where the body starts in its {@link #soleArray()}. */
  int offset() {
    return offset;
  }

  int length() {
    return length;
  }

  void writeTo(OutputStream out) throws IOException {
    for (int i = 0; i < segments(); i++) {
      if (lengthOf(i) > 0) {
        out.write(arrayOf(i), offsetOf(i), lengthOf(i));
      }
    }
  }

  /** Copies the body into {@code target} from {@code at}. */
  void copyInto(byte[] target, int at) {
    int pos = at;
    for (int i = 0; i < segments(); i++) {
      System.arraycopy(arrayOf(i), offsetOf(i), target, pos, lengthOf(i));
      pos += lengthOf(i);
    }
  }

  byte[] copy() {
    byte[] out = new byte[length];
    copyInto(out, 0);
    return out;
  }

  /** Receives the ranges of a body, in order. */
  @FunctionalInterface
  interface Ranges {
    void accept(byte[] array, int offset, int length);
  }

  /** Hands every non-empty range to {@code ranges}, in order (for checksums: no copies). */
  void forEachRange(Ranges ranges) {
    for (int i = 0; i < segments(); i++) {
      if (lengthOf(i) > 0) {
        ranges.accept(arrayOf(i), offsetOf(i), lengthOf(i));
      }
    }
  }

  boolean contentEquals(Body other) {
    if (other.length != length) {
      return false;
    }
    if (more == null && other.more == null) {
      return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + length);
    }
    return Arrays.equals(copy(), other.copy());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Body b && contentEquals(b);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < segments(); i++) {
      byte[] a = arrayOf(i);
      for (int j = offsetOf(i); j < offsetOf(i) + lengthOf(i); j++) {
        h = 31 * h + a[j];
      }
    }
    return h;
  }

  @Override
  public String toString() {
    return "Body[" + length + " bytes]";
  }
}
