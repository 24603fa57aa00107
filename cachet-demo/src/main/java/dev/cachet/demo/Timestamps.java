package dev.cachet.demo;

import java.math.BigDecimal;

/** The demo's timestamps: Unix seconds with milliseconds, as seed 000 prints them. */
final class Timestamps {
  private Timestamps() {}

  /**
   * Now, written by JSON as {@code 1795373715.837}: a double of that size would come out as
   * {@code 1.795373715837E9}.
   */
  static BigDecimal now() {
    return BigDecimal.valueOf(System.currentTimeMillis(), 3);
  }
}
