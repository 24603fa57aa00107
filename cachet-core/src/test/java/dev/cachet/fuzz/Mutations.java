package dev.cachet.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Byte-level damage for the random half of fuzzing: what a fuzzer's first mutations do to a valid
 * encoding (flips, cuts, extensions, splices, and length fields overwritten with edge values).
 */
public final class Mutations {
  private Mutations() {}

  /** {@code original} damaged one to three times; may return it unchanged when it is empty. */
  public static byte[] mutate(byte[] original, FuzzInput in) {
    byte[] b = original.clone();
    int times = in.intIn(1, 3);
    for (int t = 0; t < times; t++) {
      b = mutateOnce(b, in);
    }
    return b;
  }

  private static byte[] mutateOnce(byte[] b, FuzzInput in) {
    int op = in.intIn(0, 5);
    if (b.length == 0) {
      return in.bytes(16);
    }
    int at = in.intIn(0, b.length - 1);
    switch (op) {
      case 0 -> b[at] ^= (byte) (1 << in.intIn(0, 7));
      case 1 -> b = Arrays.copyOf(b, at);
      case 2 -> {
        byte[] tail = in.bytes(32);
        byte[] longer = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, longer, b.length, tail.length);
        b = longer;
      }
      case 3 -> {
        byte[] insert = in.bytes(8);
        byte[] out = new byte[b.length + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at, out, at + insert.length, b.length - at);
        b = out;
      }
      case 4 -> {
        // A length field overwritten with an edge value: 2 or 4 bytes, big-endian.
        long edge = in.pickLong(0, 1, -1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000L,
            b.length, b.length - at, b.length - at - 4);
        int width = in.bool() ? 2 : 4;
        if (at + width <= b.length) {
          ByteBuffer buf = ByteBuffer.wrap(b);
          if (width == 2) {
            buf.putShort(at, (short) edge);
          } else {
            buf.putInt(at, (int) edge);
          }
        }
      }
      default -> b[at] = (byte) in.intIn(0, 255);
    }
    return b;
  }
}
