package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a hit returns equals what the method returned, through the application's own
 * {@code JsonMapper} as Spring Boot configures it for its HTTP API: dates keep their zone and
 * offset, properties the API ignores or only reads are kept, and a value of a subclass its JSON
 * would not name is returned uncached (with one warning) rather than as its declared class.
 */
class FaithfulValuesTest {
  /** A login record: the API never writes its note or its hash, a cached copy must keep both. */
  public static class Account {
    public String name;
    @JsonIgnore public String internalNote;
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) public String passwordHash;

    public Account() {}

    Account(String name, String internalNote, String passwordHash) {
      this.name = name;
      this.internalNote = internalNote;
      this.passwordHash = passwordHash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a && a.name.equals(name) && a.internalNote.equals(internalNote)
          && a.passwordHash.equals(passwordHash);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  public static class Animal {
    public String name;
  }

  public static class Dog extends Animal {
    public boolean barks = true;
  }

  public static class Values {
    private final AtomicInteger runs = new AtomicInteger();

    public int runs() {
      return runs.get();
    }

    @Cached(ttl = "5m")
    public ZonedDateTime zoned() {
      runs.incrementAndGet();
      return ZonedDateTime.of(2026, 7, 1, 10, 0, 0, 0, ZoneId.of("Europe/Paris"));
    }

    @Cached(ttl = "5m")
    public OffsetDateTime offset() {
      runs.incrementAndGet();
      return OffsetDateTime.of(2026, 7, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2));
    }

    @Cached(ttl = "5m")
    public Account account() {
      runs.incrementAndGet();
      return new Account("ada", "vip", "$2a$10$abc");
    }

    @Cached(ttl = "5m")
    public Animal pet() {
      runs.incrementAndGet();
      Dog dog = new Dog();
      dog.name = "rex";
      return dog;
    }
  }

  @RegisterExtension
  final CapturedWarnings warnings = new CapturedWarnings("dev.cachet");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CachetAutoConfiguration.class))
      .withBean(Values.class);

  private static void hitEqualsMiss(Values values, Supplier<Object> call) {
    int before = values.runs();
    Object miss = call.get();
    assertThat(call.get()).isEqualTo(miss);
    assertThat(values.runs() - before).as("the second call is a hit").isEqualTo(1);
  }

  @Test
  void datesKeepTheirZoneAndOffset() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      hitEqualsMiss(values, values::zoned);
      hitEqualsMiss(values, values::offset);
    });
  }

  @Test
  void propertiesTheHttpApiLeavesOutAreKeptInTheCache() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      hitEqualsMiss(values, values::account);
      String api = context.getBean(JsonMapper.class).writeValueAsString(values.account());
      assertThat(api).as("the application's mapper is unchanged").doesNotContain("vip").doesNotContain("$2a$");
    });
  }

  @Test
  void aSubclassOfAConcreteDeclaredTypeIsReturnedUncachedWithOneWarning() {
    runner.run(context -> {
      Values values = context.getBean(Values.class);
      for (int i = 0; i < 3; i++) {
        assertThat(values.pet()).isInstanceOf(Dog.class);
      }
      assertThat(values.runs()).isEqualTo(3);
      assertThat(warnings.messages()).filteredOn(w -> w.contains("@Cached Values.pet ")).hasSize(1)
          .allMatch(w -> w.contains(Dog.class.getName()));
    });
  }
}
