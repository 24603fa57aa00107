package dev.cachet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Short commands a test runs to their end: a CLI call, a signal, {@code openssl}. */
public final class Commands {
  /** How long a command may take. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Commands() {}

  /**
   * The path of executable {@code name}, found on the {@code PATH} or in {@code /usr/bin} or
   * {@code /usr/local/bin}.
   *
   * @throws IllegalStateException naming {@code installHint} when there is none
   */
  public static String executable(String name, String installHint) {
    Set<String> dirs = new LinkedHashSet<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin"));
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new IllegalStateException(name + " not found: " + installHint);
  }

  /** Runs {@code command} and returns its output, standard error included, however it exits. */
  public static String run(List<String> command) {
    return run(null, command, false);
  }

  /**
   * Runs {@code command} in directory {@code dir} and returns its output, standard error
   * included.
   *
   * @throws IllegalStateException with the output if it exits with other than 0
   */
  public static String runOrFail(Path dir, List<String> command) {
    return run(dir, command, true);
  }

  private static String run(@Nullable Path dir, List<String> command, boolean mustSucceed) {
    try {
      // The output goes to a file, not a pipe read to its end: a command that hangs meets the timeout.
      Path output = Files.createTempFile("cachet-command", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Process p = (dir == null ? builder : builder.directory(dir.toFile())).start();
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "timed out: " + command + "; output: " + Files.readString(output, StandardCharsets.UTF_8));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (mustSucceed && p.exitValue() != 0) {
          throw new IllegalStateException("exited with " + p.exitValue() + ": " + command + "; output: " + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
