package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A default key is the JSON of the arguments: an argument type whose JSON leaves out some of its
 * state (a field without a getter, an ignored one) or writes nothing fails the start, naming the
 * field and asking for a key template, rather than letting different arguments share an entry.
 */
class DefaultKeyArgumentsTest {
  /** A query object with a record-style accessor, which Jackson does not see. */
  public static class Filter {
    private final String status;
    private final int limit;

    public Filter(String status, int limit) {
      this.status = status;
      this.limit = limit;
    }

    public String getStatus() {
      return status;
    }

    public int limit() {
      return limit;
    }
  }

  public static class Secretive {
    public String name;
    @JsonIgnore public String tenant;
  }

  public static class NoProps {
    @SuppressWarnings("unused")
    private final int v;

    public NoProps(int v) {
      this.v = v;
    }
  }

  /** All of its state is in its JSON; a transient cache of it is not state. */
  public static class Query {
    private final String status;
    private final int limit;
    private transient String printed;

    public Query(String status, int limit) {
      this.status = status;
      this.limit = limit;
    }

    public String getStatus() {
      return status;
    }

    public int getLimit() {
      return limit;
    }
  }

  public static class HiddenField {
    @Cached(ttl = "5m")
    public String search(Filter filter) {
      return "x";
    }
  }

  public static class IgnoredField {
    @Cached(ttl = "5m")
    public String search(Secretive s) {
      return "x";
    }
  }

  public static class NoPropsArgument {
    @Cached(ttl = "5m")
    public String search(NoProps n) {
      return "x";
    }
  }

  public static class Fine {
    private final AtomicInteger runs = new AtomicInteger();

    public int runs() {
      return runs.get();
    }

    @Cached(ttl = "5m")
    public String search(Query query) {
      return query.getStatus() + " " + query.getLimit() + " #" + runs.incrementAndGet();
    }

    @Cached(ttl = "5m", key = "filter:{filter.status}:{filter.limit}")
    public String filtered(Filter filter) {
      return filter.getStatus() + " " + filter.limit() + " #" + runs.incrementAndGet();
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  private void failsNaming(Class<?> bean, String... parts) {
    runner.withBean(bean).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(bean.getSimpleName() + ".search")
          .hasMessageContaining("key template");
      for (String part : parts) {
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(part);
      }
    });
  }

  @Test
  void anArgumentWhoseJsonLeavesOutAFieldFailsTheStart() {
    failsNaming(HiddenField.class, "field limit");
    failsNaming(IgnoredField.class, "field tenant");
  }

  @Test
  void anArgumentWithNoJsonPropertiesFailsTheStart() {
    failsNaming(NoPropsArgument.class, "no JSON properties");
  }

  @Test
  void argumentsWrittenWholeAndTemplatesKeyAsTheySay() {
    runner.withBean(Fine.class).run(context -> {
      Fine fine = context.getBean(Fine.class);
      String ten = fine.search(new Query("open", 10));
      assertThat(fine.search(new Query("open", 500))).isNotEqualTo(ten);
      assertThat(fine.search(new Query("open", 10))).isEqualTo(ten);
      String filtered = fine.filtered(new Filter("open", 10));
      assertThat(fine.filtered(new Filter("open", 500))).isNotEqualTo(filtered);
      assertThat(fine.filtered(new Filter("open", 10))).isEqualTo(filtered);
      assertThat(fine.runs()).isEqualTo(4);
    });
  }
}
