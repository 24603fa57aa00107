package dev.cachet.fuzz;

import java.util.SplittableRandom;

/** {@link FuzzInput} from a seeded {@link SplittableRandom}, biased towards short lengths. */
final class RandomInput implements FuzzInput {
  private final SplittableRandom random;

  RandomInput(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public boolean bool() {
    return random.nextBoolean();
  }

  @Override
  public int intIn(int min, int max) {
    return max == Integer.MAX_VALUE
        ? (int) random.nextLong(min, (long) max + 1)
        : random.nextInt(min, max + 1);
  }

  @Override
  public long anyLong() {
    // Edge values now and then: parsers and clocks break at the extremes.
    return switch (random.nextInt(8)) {
      case 0 -> Long.MAX_VALUE - random.nextInt(3);
      case 1 -> Long.MIN_VALUE + random.nextInt(3);
      case 2 -> random.nextInt(-2, 3);
      default -> random.nextLong();
    };
  }

  @Override
  public int length(int max) {
    int r = random.nextInt(10);
    if (r < 6) {
      return random.nextInt(Math.min(max, 8) + 1);
    }
    if (r < 9) {
      return random.nextInt(Math.min(max, 64) + 1);
    }
    return random.nextInt(max + 1);
  }

  @Override
  public byte[] bytes(int maxLength) {
    byte[] b = new byte[length(maxLength)];
    random.nextBytes(b);
    return b;
  }

  @Override
  public byte[] rest() {
    return bytes(256);
  }
}
