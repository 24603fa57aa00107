package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A response body as a range of an array nobody modifies: a captured buffer, or the bytes of an
 * entry read from the store. Sharing the range instead of copying it is what keeps a hit on a
 * large response from copying its body. Immutable by convention: no code writes to the array
 * once a {@code Body} views it.
 */
record Body(byte[] array, int offset, int length) {
  static final Body EMPTY = new Body(new byte[0], 0, 0);

  Body {
    Objects.requireNonNull(array, "array");
    Objects.checkFromIndexSize(offset, length, array.length);
  }

  /** The whole of {@code bytes}, not copied. */
  static Body of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Body(bytes, 0, bytes.length);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(array, offset, length);
  }

  byte[] copy() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  boolean contentEquals(Body other) {
    return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
  }

  int contentHash() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  // The array is a view: records would compare and print it by identity.
  @Override
  public boolean equals(Object o) {
    return o instanceof Body b && contentEquals(b);
  }

  @Override
  public int hashCode() {
    return contentHash();
  }

  @Override
  public String toString() {
    return "Body[" + length + " bytes]";
  }
}
