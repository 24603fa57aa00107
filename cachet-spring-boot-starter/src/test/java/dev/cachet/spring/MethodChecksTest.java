package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Annotated methods that Spring's proxy cannot intercept fail the start, naming the method. */
class MethodChecksTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  public static class FinalCached {
    private final String prefix = "n";

    @Cached(key = "final:{id}")
    public final String name(long id) {
      return prefix + id;
    }
  }

  public static class PrivateCached {
    public String name(long id) {
      return secret(id);
    }

    @Cached(key = "private:{id}")
    private String secret(long id) {
      return "s" + id;
    }
  }

  public static class StaticCached {
    @Cached(key = "static:{id}")
    public static String name(long id) {
      return "s" + id;
    }
  }

  public static class FinalInvalidating {
    @InvalidateCache(tags = "users")
    public final void rename(long id) {}
  }

  public static class PrivateInvalidating {
    @InvalidateCache(tags = "users")
    private void rename(long id) {}
  }

  public static class StaticInvalidating {
    @InvalidateCache(tags = "users")
    public static void rename(long id) {}
  }

  /** Annotated on an interface, implemented by a final method: the proxy still cannot reach it. */
  public interface Names {
    @Cached(key = "names:{id}")
    String name(long id);
  }

  public static class FinalImplementation implements Names {
    @Override
    public final String name(long id) {
      return "n" + id;
    }
  }

  private void failsNaming(Class<?> bean, String method, String why) {
    runner.withBean(bean).run(context -> assertThat(context).hasFailed().getFailure().rootCause()
        .hasMessageContaining(bean.getSimpleName() + "." + method).hasMessageContaining(why));
  }

  @Test
  void annotatedMethodsTheProxyCannotInterceptFailTheStart() {
    failsNaming(FinalCached.class, "name", "final");
    failsNaming(PrivateCached.class, "secret", "private");
    failsNaming(StaticCached.class, "name", "static");
    failsNaming(FinalInvalidating.class, "rename", "final");
    failsNaming(PrivateInvalidating.class, "rename", "private");
    failsNaming(StaticInvalidating.class, "rename", "static");
    failsNaming(FinalImplementation.class, "name", "final");
  }
}
