package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A response body as ranges of arrays nobody modifies: the chunks a handler's body was captured
 * in, or the range of a stored entry a hit decoded. Sharing the ranges instead of copying them
 * keeps a hit from copying its body at all and a miss from copying it more than once (into the
 * entry). Immutable by convention: no code writes to the arrays once a {@code Body} views them.
 */
final class Body {
  static final Body EMPTY = new Body(new byte[0], 0, 0);

  private final byte[][] arrays;
  private final int[] offsets;
  private final int[] lengths;
  private final int length;

  /** One range: {@code length} bytes of {@code array} from {@code offset}. */
  Body(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    this.arrays = new byte[][] {array};
    this.offsets = new int[] {offset};
    this.lengths = new int[] {length};
    this.length = length;
  }

  private Body(byte[][] arrays, int[] lengths, int length) {
    this.arrays = arrays;
    this.offsets = new int[arrays.length];
    this.lengths = lengths;
    this.length = length;
  }

  /** The whole of {@code bytes}, not copied. */
  static Body of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Body(bytes, 0, bytes.length);
  }

  /** The first {@code lengths[i]} bytes of each of {@code arrays}, in order, not copied. */
  static Body ofChunks(byte[][] arrays, int[] lengths) {
    if (arrays.length != lengths.length) {
      throw new IllegalArgumentException("one length per array expected");
    }
    long total = 0;
    for (int i = 0; i < arrays.length; i++) {
      Objects.checkFromIndexSize(0, lengths[i], arrays[i].length);
      total += lengths[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a body is at most 2 GiB");
    }
    return total == 0 ? EMPTY : new Body(arrays.clone(), lengths.clone(), (int) total);
  }

  int length() {
    return length;
  }

  void writeTo(OutputStream out) throws IOException {
    for (int i = 0; i < arrays.length; i++) {
      if (lengths[i] > 0) {
        out.write(arrays[i], offsets[i], lengths[i]);
      }
    }
  }

  /** Copies the body into {@code target} from {@code at}. */
  void copyInto(byte[] target, int at) {
    int pos = at;
    for (int i = 0; i < arrays.length; i++) {
      System.arraycopy(arrays[i], offsets[i], target, pos, lengths[i]);
      pos += lengths[i];
    }
  }

  byte[] copy() {
    byte[] out = new byte[length];
    copyInto(out, 0);
    return out;
  }

  /** Read-only views of the ranges, in order (for checksums). */
  ByteBuffer[] buffers() {
    ByteBuffer[] out = new ByteBuffer[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      out[i] = ByteBuffer.wrap(arrays[i], offsets[i], lengths[i]).asReadOnlyBuffer();
    }
    return out;
  }

  boolean contentEquals(Body other) {
    if (other.length != length) {
      return false;
    }
    if (arrays.length == 1 && other.arrays.length == 1) {
      return Arrays.equals(arrays[0], offsets[0], offsets[0] + length,
          other.arrays[0], other.offsets[0], other.offsets[0] + length);
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
    for (int i = 0; i < arrays.length; i++) {
      for (int j = offsets[i]; j < offsets[i] + lengths[i]; j++) {
        h = 31 * h + arrays[i][j];
      }
    }
    return h;
  }

  @Override
  public String toString() {
    return "Body[" + length + " bytes]";
  }
}
