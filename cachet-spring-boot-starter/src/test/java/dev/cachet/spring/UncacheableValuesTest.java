package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code @Cached} call that cannot be cached (its value cannot be written or read back as JSON,
 * its key cannot be computed) still returns the method's value, and says so in one warning naming
 * the method, not one per call.
 */
class UncacheableValuesTest {
  @RegisterExtension
  final CapturedWarnings warnings = new CapturedWarnings("dev.cachet");

  /** Refers to itself: Jackson cannot write it. */
  public static class Node {
    public String name = "n";
    public Node self = this;
  }

  static final AtomicBoolean REJECT = new AtomicBoolean();

  /** Refuses to be made once {@link #REJECT} is set, as a record validating what it reads may. */
  record Fragile(String v) {
    Fragile {
      if (REJECT.get()) {
        throw new IllegalArgumentException("rejected " + v);
      }
    }
  }

  public static class Unreadable {
    public String getName() {
      throw new IllegalStateException("no name yet");
    }
  }

  public static class Values {
    private final AtomicInteger runs = new AtomicInteger();
    private final Fragile fragile = new Fragile("f");

    public int runs() {
      return runs.get();
    }

    @Cached(ttl = "5m")
    public Node node() {
      runs.incrementAndGet();
      return new Node();
    }

    @Cached(ttl = "5m")
    public Fragile fragile() {
      runs.incrementAndGet();
      return fragile;
    }

    @Cached(ttl = "5m", key = "u:{u.name}")
    public String keyed(Unreadable u) {
      runs.incrementAndGet();
      return "keyed";
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
      .withBean(Values.class);

  private List<String> warningsAbout(String method) {
    return warnings.messages().stream().filter(w -> w.contains("@Cached Values." + method + " ")).toList();
  }

  @Test
  void aValueJacksonCannotWriteIsReturnedUncachedWithOneWarning() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      for (int i = 0; i < 3; i++) {
        assertThat(values.node().name).isEqualTo("n");
      }
      assertThat(values.runs()).isEqualTo(3);
      assertThat(warningsAbout("node")).hasSize(1).allMatch(w -> w.contains("cannot be written"));
    });
  }

  @Test
  void anEntryJacksonCannotReadBackIsAMissWithOneWarning() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      try {
        assertThat(values.fragile()).isEqualTo(new Fragile("f"));
        REJECT.set(true);
        for (int i = 0; i < 3; i++) {
          assertThat(values.fragile()).isEqualTo(values.fragile());
        }
      } finally {
        REJECT.set(false);
      }
      assertThat(values.runs()).isEqualTo(7);
      assertThat(context.getBean(Cachet.class).stats().corruptEntries()).isEqualTo(6);
      assertThat(warningsAbout("fragile")).hasSize(1).allMatch(w -> w.contains("cannot be read back"));
    });
  }

  @Test
  void aKeyThatCannotBeComputedRunsUncachedWithOneWarning() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      for (int i = 0; i < 3; i++) {
        assertThat(values.keyed(new Unreadable())).isEqualTo("keyed");
      }
      assertThat(values.runs()).isEqualTo(3);
      assertThat(warningsAbout("keyed")).hasSize(1).allMatch(w -> w.contains("cannot read property"));
    });
  }
}
