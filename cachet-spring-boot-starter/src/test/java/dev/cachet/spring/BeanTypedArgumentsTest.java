package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.ui.ConcurrentModel;
import org.springframework.ui.Model;

/**
 * An argument of a type the application context also has a bean of (a tenant with a default
 * bean) is data: a default key never silently drops it but refuses it at start, so that the
 * user declares what identifies it, and a template may name it. The framework's injected objects
 * (a model, a request) stay out of keys.
 */
class BeanTypedArgumentsTest {
  public static class Tenant {
    private final String id;

    public Tenant(String id) {
      this.id = id;
    }

    public String getId() {
      return id;
    }
  }

  public static class DefaultKeyed {
    @Cached(ttl = "5m")
    public String orders(Tenant tenant) {
      return "orders of " + tenant.getId();
    }
  }

  public static class Templated {
    private final AtomicInteger runs = new AtomicInteger();

    public int runs() {
      return runs.get();
    }

    @Cached(ttl = "5m", key = "orders:{tenant.id}")
    public String orders(Tenant tenant) {
      return "orders of " + tenant.getId() + " #" + runs.incrementAndGet();
    }

    @Cached(ttl = "5m")
    public String page(String name, Model model) {
      return "page " + name + " #" + runs.incrementAndGet();
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
      .withBean("defaultTenant", Tenant.class, () -> new Tenant("default"));

  @Test
  void aDefaultKeyRefusesAnArgumentOfABeanTypeAtStart() {
    runner.withBean(DefaultKeyed.class).run(context -> assertThat(context).hasFailed().getFailure().rootCause()
        .hasMessageContaining("DefaultKeyed.orders").hasMessageContaining("tenant (p0), a Tenant")
        .hasMessageContaining("key template"));
  }

  @Test
  void aTemplateMayNameAnArgumentOfABeanTypeAndTenantsGetTheirOwnEntries() {
    runner.withBean(Templated.class).run(context -> {
      Templated bean = context.getBean(Templated.class);
      String acme = bean.orders(new Tenant("acme"));
      assertThat(acme).startsWith("orders of acme");
      assertThat(bean.orders(new Tenant("globex"))).startsWith("orders of globex");
      assertThat(bean.orders(new Tenant("acme"))).isEqualTo(acme);
      assertThat(bean.runs()).isEqualTo(2);
    });
  }

  @Test
  void theFrameworksInjectedObjectsStayOutOfADefaultKey() {
    runner.withBean(Templated.class).run(context -> {
      Templated bean = context.getBean(Templated.class);
      String first = bean.page("home", new ConcurrentModel("a", 1));
      assertThat(bean.page("home", new ConcurrentModel("b", 2))).isEqualTo(first);
      assertThat(bean.runs()).isEqualTo(1);
    });
  }
}
