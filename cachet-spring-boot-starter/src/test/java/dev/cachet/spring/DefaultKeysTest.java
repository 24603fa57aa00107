package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.KeyPage;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Default {@code @Cached} keys and value types: per bean class and per overload. */
class DefaultKeysTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  public record User(long id, String name) {}

  public record Order(long id, double total) {}

  /** A generic base whose cached method two beans inherit. */
  public abstract static class Repo<T> {
    final AtomicInteger calls = new AtomicInteger();

    protected abstract T make(long id);

    public int calls() {
      return calls.get();
    }

    @Cached(ttl = "5m")
    public List<T> all() {
      calls.incrementAndGet();
      List<T> out = new ArrayList<>();
      out.add(make(1));
      return out;
    }

    @Cached(ttl = "5m")
    public Optional<T> one(long id) {
      return Optional.of(make(id));
    }

    @Cached(ttl = "5m")
    public CompletableFuture<List<T>> later(long id) {
      return CompletableFuture.completedFuture(List.of(make(id)));
    }
  }

  public static class UserRepo extends Repo<User> {
    @Override
    protected User make(long id) {
      return new User(id, "ann");
    }
  }

  public static class OrderRepo extends Repo<Order> {
    @Override
    protected Order make(long id) {
      return new Order(id, 9.5);
    }
  }

  /** Two classes of one simple name, as in two packages. */
  public static class Billing {
    public static class Lookup {
      @Cached(ttl = "5m")
      public String label(long id) {
        return "invoice-" + id;
      }
    }
  }

  public static class Shipping {
    public static class Lookup {
      @Cached(ttl = "5m")
      public String label(long id) {
        return "parcel-" + id;
      }
    }
  }

  /** Overloads whose arguments are written alike in JSON. */
  public static class Overloads {
    @Cached(ttl = "5m")
    public String find(int id) {
      return "int";
    }

    @Cached(ttl = "5m")
    public String find(long id) {
      return "long";
    }

    @Cached(ttl = "5m")
    public String find(UUID id) {
      return "uuid";
    }

    @Cached(ttl = "5m")
    public String find(String id) {
      return "string";
    }
  }

  @Test
  void aGenericMethodInheritedByTwoBeansHasOneEntryAndOneValueTypePerBean() {
    runner.withBean(UserRepo.class).withBean(OrderRepo.class).run(context -> {
      UserRepo users = context.getBean(UserRepo.class);
      OrderRepo orders = context.getBean(OrderRepo.class);
      assertThat(users.all()).containsExactly(new User(1, "ann"));
      assertThat(orders.all()).containsExactly(new Order(1, 9.5));
      // Hits: decoded as the subclass's element type, not as maps.
      User user = users.all().get(0);
      Order order = orders.all().get(0);
      assertThat(user).isEqualTo(new User(1, "ann"));
      assertThat(order).isEqualTo(new Order(1, 9.5));
      assertThat(users.calls()).isEqualTo(1);
      assertThat(orders.calls()).isEqualTo(1);
      // Optional and future values are resolved the same way.
      users.one(2);
      assertThat(users.one(2)).containsInstanceOf(User.class);
      users.later(3).join();
      assertThat(users.later(3).join().get(0)).isInstanceOf(User.class);
    });
  }

  @Test
  void classesOfOneSimpleNameDoNotShareEntries() {
    runner.withBean(Billing.Lookup.class).withBean(Shipping.Lookup.class).run(context -> {
      assertThat(context.getBean(Billing.Lookup.class).label(7)).isEqualTo("invoice-7");
      assertThat(context.getBean(Shipping.Lookup.class).label(7)).isEqualTo("parcel-7");
      assertThat(context.getBean(Billing.Lookup.class).label(7)).isEqualTo("invoice-7");
    });
  }

  @Test
  void overloadsWhoseArgumentsLookAlikeDoNotShareEntries() {
    runner.withBean(Overloads.class).run(context -> {
      Overloads o = context.getBean(Overloads.class);
      UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
      assertThat(o.find(1)).isEqualTo("int");
      assertThat(o.find(1L)).isEqualTo("long");
      assertThat(o.find(id)).isEqualTo("uuid");
      assertThat(o.find(id.toString())).isEqualTo("string");
      assertThat(o.find(1)).isEqualTo("int");
    });
  }

  @Test
  void theDefaultKeyNamesTheBeanClassTheMethodAndItsParameterTypes() {
    runner.withBean(Billing.Lookup.class).withBean(UserRepo.class).run(context -> {
      context.getBean(Billing.Lookup.class).label(7);
      context.getBean(UserRepo.class).all();
      KeyPage page = context.getBean(Cachet.class).keys("*", null, 10);
      assertThat(page.keys()).extracting(k -> k.key()).containsExactlyInAnyOrder(
          Billing.Lookup.class.getName() + ".label(long)[7]",
          UserRepo.class.getName() + ".all()[]");
    });
  }

  /** Cached on an interface, for beans whose class is a JDK proxy or a lambda. */
  public interface PriceSource {
    @Cached(ttl = "5m")
    String price(long id);
  }

  @Test
  void beansBehindJdkProxiesAndLambdasAreNamedByTheirInterfaceNotByARuntimeClassName() {
    // $Proxy48 and Lambda$751/0x... change with creation order and between processes; the key
    // must not.
    PriceSource lambda = id -> "p" + id;
    PriceSource proxied = (PriceSource) Proxy.newProxyInstance(
        PriceSource.class.getClassLoader(), new Class<?>[] {PriceSource.class}, (p, m, args) -> "q" + args[0]);
    for (PriceSource bean : List.of(lambda, proxied)) {
      runner.withBean("prices", PriceSource.class, () -> bean).run(context -> {
        context.getBean(PriceSource.class).price(7);
        assertThat(context.getBean(Cachet.class).keys("*", null, 10).keys()).extracting(k -> k.key())
            .containsExactly(PriceSource.class.getName() + ".price(long)[7]");
      });
    }
  }
}
