package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.internal.MethodPlans;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code @Cached} key templates of different methods that render the same keys fail the start when
 * the methods' values are of different types, and are logged when they are of one type.
 */
class KeyCollisionsTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  @RegisterExtension
  final CapturedWarnings warnings = new CapturedWarnings(MethodPlans.class.getName());

  public static class Users {
    @Cached(key = "user:{id}")
    public String name(long id) {
      return "user" + id;
    }
  }

  public static class Ages {
    @Cached(key = "user:{userId}")
    public Integer age(long userId) {
      return 40;
    }
  }

  public static class Nicknames {
    @Cached(key = "user:{p0}")
    public Optional<String> nickname(long id) {
      return Optional.of("nick" + id);
    }
  }

  public static class Plain {
    @Cached
    public String name(long id) {
      return "plain" + id;
    }
  }

  public static class OtherPlain {
    @Cached
    public Integer name(long id) {
      return 7;
    }
  }

  /** One templated method, inherited by two beans whose values differ. */
  public abstract static class Repo<T> {
    @Cached(key = "repo:{id}")
    public T find(long id) {
      return make(id);
    }

    abstract T make(long id);
  }

  record Owner(long id) {}

  record Pet(String name) {}

  public static class Owners extends Repo<Owner> {
    @Override
    Owner make(long id) {
      return new Owner(id);
    }
  }

  public static class Pets extends Repo<Pet> {
    @Override
    Pet make(long id) {
      return new Pet("rex" + id);
    }
  }

  @Test
  void keysThatCollideForValuesOfDifferentTypesFailTheStart() {
    runner.withBean(Users.class).withBean(Ages.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause()
        .hasMessageContaining("'user:{id}' on Users.name").hasMessageContaining("'user:{userId}' on Ages.age")
        .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Integer"));
    runner.withBean(Owners.class).withBean(Pets.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("Owners.find").hasMessageContaining("Pets.find"));
  }

  @Test
  void keysThatCollideForValuesOfOneTypeAreLogged() {
    runner.withBean(Users.class).withBean(Nicknames.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(warnings.records()).singleElement().satisfies(w -> assertThat(w.getMessage())
          .contains("Users.name").contains("Nicknames.nickname").contains("same cache keys"));
      // as logged: each returns what the other cached
      assertThat(context.getBean(Users.class).name(1)).isEqualTo("user1");
      assertThat(context.getBean(Nicknames.class).nickname(1)).contains("user1");
    });
  }

  @Test
  void defaultKeysAndOneClassInTwoBeansNeverCollide() {
    runner.withBean("a", Users.class).withBean("b", Users.class).withBean(Plain.class)
        .withBean(OtherPlain.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Plain.class).name(1)).isEqualTo("plain1");
          assertThat(context.getBean(OtherPlain.class).name(1)).isEqualTo(7);
        });
    assertThat(warnings.records()).isEmpty();
  }
}
