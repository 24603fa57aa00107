package dev.cachet.fuzz;

import java.util.Locale;

/** Whether Jazzer is fuzzing rather than replaying, and a guard against fuzzing blind. */
public final class FuzzMode {
  private static final boolean FUZZING = truthy(System.getenv("JAZZER_FUZZ"))
      || truthy(System.getProperty("jazzer.fuzz"));

  private FuzzMode() {}

  private static boolean truthy(String value) {
    return value != null && switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes" -> true;
      default -> false;
    };
  }

  /**
   * Fails a fuzzing run whose agent is switched off (src/test/resources/junit-platform.properties
   * switches it off for the normal build): without it the fuzzer gets no coverage feedback.
   */
  public static void requireAgentWhenFuzzing() {
    if (FUZZING && !"true".equalsIgnoreCase(System.getProperty("jazzer.hooks"))) {
      throw new IllegalStateException(
          "fuzzing needs Jazzer's agent: add -Djazzer.hooks=true (see docs/fuzzing.md)");
    }
  }
}
