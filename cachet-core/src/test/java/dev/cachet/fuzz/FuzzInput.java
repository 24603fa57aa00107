package dev.cachet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;

/**
 * The choices a fuzz property makes, from Jazzer's {@link FuzzedDataProvider} while fuzzing or
 * from a seeded random source in the normal build ({@link FuzzRuns}), so that one property serves
 * both. Not thread-safe.
 */
public interface FuzzInput {
  /** Characters that separate, escape or quote something in keys, paths, queries and globs. */
  String SPECIALS = "%/?#&=+~|*[]\\:;@.-_{},^!$'()\"";

  boolean bool();

  /** A value in {@code [min, max]}. */
  int intIn(int min, int max);

  long anyLong();

  /** A length in {@code [0, max]}, biased towards short ones where the source can choose. */
  int length(int max);

  byte[] bytes(int maxLength);

  /** Whatever input is left (the random source makes up some). */
  byte[] rest();

  /** Jazzer's input, for {@code @FuzzTest} methods. */
  static FuzzInput of(FuzzedDataProvider data) {
    return new JazzerInput(data);
  }

  /** A seeded pseudo-random input: the same seed gives the same choices. */
  static FuzzInput random(long seed) {
    return new RandomInput(seed);
  }

  default <T> T pick(List<T> options) {
    return options.get(intIn(0, options.size() - 1));
  }

  default long pickLong(long... options) {
    return options[intIn(0, options.length - 1)];
  }

  /** A string of up to {@code maxLength} UTF-16 units, lone surrogates included. */
  default String string(int maxLength) {
    int n = length(maxLength);
    StringBuilder sb = new StringBuilder(n + 1);
    while (sb.length() < n) {
      appendChar(sb);
    }
    return sb.toString();
  }

  /** A string of code points taken from {@code alphabet}. */
  default String stringFrom(String alphabet, int maxCodePoints) {
    int[] cps = alphabet.codePoints().toArray();
    int n = length(maxCodePoints);
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(cps[intIn(0, cps.length - 1)]);
    }
    return sb.toString();
  }

  /**
   * Appends one character drawn from classes that parsers treat differently: printable ASCII
   * (most often), separators and escapes, space and controls, Latin-1, other BMP characters,
   * lone surrogates of either half, and surrogate pairs.
   */
  default void appendChar(StringBuilder sb) {
    switch (intIn(0, 15)) {
      case 0, 1, 2, 3, 4, 5 -> sb.append((char) intIn(0x21, 0x7E));
      case 6, 7 -> sb.append(SPECIALS.charAt(intIn(0, SPECIALS.length() - 1)));
      case 8 -> sb.append(bool() ? ' ' : '\t');
      case 9 -> sb.append(bool() ? (char) intIn(0, 0x1F) : (char) 0x7F);
      case 10 -> sb.append((char) intIn(0x80, 0xFF));
      case 11 -> sb.append((char) intIn(0x100, 0xD7FF));
      case 12 -> sb.append((char) intIn(0xE000, 0xFFFF));
      case 13 -> sb.append((char) intIn(0xD800, 0xDBFF));
      case 14 -> sb.append((char) intIn(0xDC00, 0xDFFF));
      default -> sb.appendCodePoint(intIn(0x10000, 0x10FFFF));
    }
  }
}
