package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CachedMethodsTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
          .withUserConfiguration(Beans.class);

  record User(long id, String name) {}

  /** A service bean, passed along: a template leaves it out of the key. */
  public static class Audit {}

  public static class UserService {
    private final AtomicInteger calls = new AtomicInteger();

    /** Through the proxy: the target's count. */
    public int calls() {
      return calls.get();
    }

    @Cached(key = "user:{id}", ttl = "5m", tags = {"users", "user:{id}"})
    public User find(long id) {
      calls.incrementAndGet();
      return new User(id, "user" + id + "#" + calls.get());
    }

    @Cached(key = "list:{sort}", ttl = "5m", tags = "users")
    public List<User> list(String sort, Audit audit) {
      calls.incrementAndGet();
      return List.of(new User(1, sort + "#" + calls.get()));
    }

    @Cached(key = "opt:{id}")
    public Optional<User> maybe(long id) {
      calls.incrementAndGet();
      return id > 0 ? Optional.of(new User(id, "x")) : Optional.empty();
    }

    @Cached(key = "async:{id}")
    public CompletableFuture<User> async(long id) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(new User(id, "async#" + calls.get()));
    }

    @Cached(key = "fails:{id}")
    public User fails(long id) throws IOException {
      calls.incrementAndGet();
      throw new IOException("disk");
    }

    @Cached(key = "nested:{user.name}")
    public String nested(User user) {
      calls.incrementAndGet();
      return user.name() + "#" + calls.get();
    }

    @InvalidateCache(tags = "user:{id}")
    public void rename(long id, String name) {}

    @InvalidateCache(tags = "users")
    public void renameFailing(long id) {
      throw new IllegalStateException("write failed");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    UserService userService() {
      return new UserService();
    }

    @Bean
    Audit audit() {
      return new Audit();
    }
  }

  @Test
  void cachesByTemplatedKeyAndInvalidatesByTemplatedTag() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      User first = users.find(1);
      assertThat(users.find(1)).isEqualTo(first);
      assertThat(users.find(2)).isNotEqualTo(first);
      assertThat(users.calls()).isEqualTo(2);
      users.rename(1, "new");
      assertThat(users.find(1)).isNotEqualTo(first);
      assertThat(users.find(2).name()).isEqualTo("user2#2");
      assertThat(users.calls()).isEqualTo(3);
    });
  }

  @Test
  void genericReturnTypesRoundTripAndATemplateKeysByWhatItNames() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      List<User> a = users.list("name", new Audit());
      List<User> b = users.list("name", new Audit());
      assertThat(b).isEqualTo(a);
      assertThat(b.get(0)).isInstanceOf(User.class);
      assertThat(users.list("age", null)).isNotEqualTo(a);
      assertThat(users.calls()).isEqualTo(2);
    });
  }

  @Test
  void optionalsCacheTheirValueAndNotTheirAbsence() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      assertThat(users.maybe(1)).contains(new User(1, "x"));
      assertThat(users.maybe(1)).contains(new User(1, "x"));
      assertThat(users.maybe(0)).isEmpty();
      assertThat(users.maybe(0)).isEmpty();
      assertThat(users.calls()).isEqualTo(3);
    });
  }

  @Test
  void futuresCacheTheirCompletedValue() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      User first = users.async(7).join();
      assertThat(users.async(7).join()).isEqualTo(first);
      assertThat(users.calls()).isEqualTo(1);
    });
  }

  @Test
  void checkedExceptionsReachTheCallerUnwrappedAndAreNotCached() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      assertThatThrownBy(() -> users.fails(1)).isInstanceOf(IOException.class).hasMessage("disk");
      assertThatThrownBy(() -> users.fails(1)).isInstanceOf(IOException.class);
      assertThat(users.calls()).isEqualTo(2);
    });
  }

  @Test
  void propertiesOfArgumentsFeedTemplates() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      String a = users.nested(new User(1, "ada"));
      assertThat(users.nested(new User(2, "ada"))).isEqualTo(a);
      assertThat(users.nested(new User(1, "bob"))).isNotEqualTo(a);
    });
  }

  @Test
  void aFailedWriteInvalidatesNothing() {
    runner.run(context -> {
      UserService users = context.getBean(UserService.class);
      User first = users.find(1);
      assertThatThrownBy(() -> users.renameFailing(1)).isInstanceOf(IllegalStateException.class);
      assertThat(users.find(1)).isEqualTo(first);
    });
  }

  @Test
  void disabledCachingCallsThroughEveryTime() {
    runner.withPropertyValues("cachet.enabled=false").run(context -> {
      UserService users = context.getBean(UserService.class);
      users.find(1);
      users.find(1);
      assertThat(users.calls()).isEqualTo(2);
    });
  }

  public static class BadTemplate {
    @Cached(key = "user:{nope}")
    public String find(long id) {
      return "x";
    }
  }

  public static class VoidCached {
    @Cached
    public void nothing() {}
  }

  public static class InjectedInKey {
    @Cached(key = "k:{model}")
    public String find(org.springframework.ui.Model model) {
      return "x";
    }
  }

  @Test
  void badAnnotationsFailTheStart() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
        .withBean(BadTemplate.class)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("{nope}").hasMessageContaining("id (p0)"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
        .withBean(VoidCached.class)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("void"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
        .withBean(Audit.class)
        .withBean(InjectedInKey.class)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("injected"));
  }
}
