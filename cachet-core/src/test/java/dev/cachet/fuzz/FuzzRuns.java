package dev.cachet.fuzz;

import java.util.function.Consumer;

/**
 * Runs a fuzz property on seeded random inputs: the part of fuzzing that runs in every build
 * (Jazzer only replays its corpus there). Seeds are fixed, so a failure reproduces; the failing
 * seed is named in the error.
 */
public final class FuzzRuns {
  private FuzzRuns() {}

  /** A run stops after this long even if it has inputs left, so a loaded machine stays quick. */
  private static final long BUDGET_NANOS = 2_000_000_000L;
  /** Inputs run however long they take. */
  private static final int MIN_RUNS = 500;

  /**
   * Runs {@code property} on up to {@code runs} inputs with seeds derived from {@code name}, the
   * same seeds in the same order every time; past {@value #MIN_RUNS} inputs it stops once it has
   * run for 2 s.
   */
  public static void repeat(String name, int runs, Consumer<FuzzInput> property) {
    long base = name.hashCode() * 0x9E3779B97F4A7C15L;
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      if (i >= MIN_RUNS && System.nanoTime() - start > BUDGET_NANOS) {
        return;
      }
      long seed = base + i;
      try {
        property.accept(FuzzInput.random(seed));
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(
            name + " failed on run " + i + " (FuzzInput.random(" + seed + "L)): " + e, e);
      }
    }
  }
}
