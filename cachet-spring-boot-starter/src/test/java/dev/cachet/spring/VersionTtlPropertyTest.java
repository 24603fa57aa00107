package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.spring.autoconfigure.CachetStoreAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * {@code cachet.version-ttl} is the time to live the store is given for the tag versions loads
 * create: a day by default (the memory store bounds versions by bytes instead; Redis and
 * Memcached keep them this long).
 */
class VersionTtlPropertyTest {
  /** The memory store, noting the TTL of every tag version created. */
  static final class NotingStore extends ForwardingStore {
    final List<Duration> versionTtls = new CopyOnWriteArrayList<>();

    NotingStore() {
      super(MemoryStore.builder().build());
    }

    @Override
    public long[] setVersionsIfAbsent(List<String> keys, long[] versions, Duration ttl) {
      versionTtls.add(ttl);
      return super.setVersionsIfAbsent(keys, versions, ttl);
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetStoreAutoConfiguration.class, CachetAutoConfiguration.class))
      .withBean(CacheStore.class, NotingStore::new);

  private static List<Duration> versionTtlsOfALoad(ApplicationContext context) {
    Cachet cachet = context.getBean(Cachet.class);
    CachePolicy tagged = CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("users").build();
    assertThat(cachet.get("u:1", Codecs.utf8(), tagged, () -> "v")).isEqualTo("v");
    return ((NotingStore) context.getBean(CacheStore.class)).versionTtls;
  }

  @Test
  void aDayByDefault() {
    runner.run(context -> assertThat(versionTtlsOfALoad(context)).containsExactly(Duration.ofDays(1)));
  }

  @Test
  void asConfigured() {
    runner.withPropertyValues("cachet.version-ttl=2h")
        .run(context -> assertThat(versionTtlsOfALoad(context)).containsExactly(Duration.ofHours(2)));
  }
}
