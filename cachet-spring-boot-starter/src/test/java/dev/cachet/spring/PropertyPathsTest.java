package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Property paths in templates are checked against the parameters' declared types at start-up. */
class PropertyPathsTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  public record Address(String city) {}

  public record User(long id, String name, Address address) {}

  /** A bean-style class: properties by getters. */
  public static class Form {
    public String getTitle() {
      return "t";
    }

    public boolean isDraft() {
      return false;
    }
  }

  public interface Named {}

  public static class TypoInInvalidation {
    @InvalidateCache(tags = "user:{user.nmae}")
    public void rename(User user) {}
  }

  public static class TypoInNestedKey {
    @Cached(key = "city:{user.address.ctiy}")
    public String find(User user) {
      return "x";
    }
  }

  public static class TypoInGetterTag {
    @Cached(key = "form", tags = "form:{form.titel}")
    public String find(Form form) {
      return "x";
    }
  }

  public static class PropertyOfAPrimitive {
    @Cached(key = "id:{id.value}")
    public String find(long id) {
      return "x";
    }
  }

  /** Everything here can be read, or can only be told at a call. */
  public static class Valid {
    @Cached(key = "v:{user.address.city}:{form.title}:{form.draft}:{user.name.length}:{id.longValue}")
    public String find(User user, Form form, long id) {
      return "x";
    }

    @InvalidateCache(tags = {"n:{named.id}", "m:{attributes.id}", "o:{any.id}"})
    public void update(Named named, Map<String, Object> attributes, Object any) {}
  }

  @Test
  void aMisspeltPropertyFailsTheStartNamingTheMethodAndThePlaceholder() {
    runner.withBean(TypoInInvalidation.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause()
        .hasMessageContaining("TypoInInvalidation.rename")
        .hasMessageContaining("{user.nmae}")
        .hasMessageContaining("no property 'nmae'")
        .hasMessageContaining("address, id, name"));
    runner.withBean(TypoInNestedKey.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause()
        .hasMessageContaining("TypoInNestedKey.find")
        .hasMessageContaining("{user.address.ctiy}")
        .hasMessageContaining(Address.class.getName() + " has no property 'ctiy'"));
    runner.withBean(TypoInGetterTag.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause()
        .hasMessageContaining("{form.titel}")
        .hasMessageContaining("draft, title"));
    runner.withBean(PropertyOfAPrimitive.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause()
        .hasMessageContaining("{id.value}")
        .hasMessageContaining("java.lang.Long has no property 'value'"));
  }

  @Test
  void pathsThatExistOrDependOnTheArgumentStart() {
    runner.withBean(Valid.class).run(context -> {
      assertThat(context).hasNotFailed();
      Valid valid = context.getBean(Valid.class);
      User user = new User(1, "ada", new Address("Oslo"));
      valid.find(user, new Form(), 7);
      // An implementation that has the property is read at the call: the namespace is not cleared.
      record WithId(long id) implements Named {}
      valid.update(new WithId(3), Map.of("id", 4), new WithId(5));
      valid.find(user, new Form(), 7);
      assertThat(context.getBean(Cachet.class).stats().hits()).isEqualTo(1);
    });
  }
}
