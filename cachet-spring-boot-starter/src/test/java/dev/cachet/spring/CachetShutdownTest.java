package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import dev.cachet.store.CacheStore;
import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the context closes the {@link Cachet} bean, before its store, and never the application's store twice. */
class CachetShutdownTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class));

  /** The application's store: records each close. */
  static final class OwnStore extends ForwardingStore {
    final List<String> events = new CopyOnWriteArrayList<>();

    OwnStore() {
      super(MemoryStore.builder().build());
    }

    @Override
    public void close() {
      events.add("store closed");
      super.close();
    }
  }

  @Test
  void closingTheContextStopsTheCachesRefreshPool() throws Exception {
    CompletableFuture<Thread> refresher = new CompletableFuture<>();
    ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
    runner.run(context -> {
      Cachet cachet = context.getBean(Cachet.class);
      CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5))
          .staleWhileRevalidate(Duration.ofMinutes(5)).tags(List.of("t")).build();
      cachet.get("k", Codecs.utf8(), policy, () -> "v1");
      cachet.softInvalidateTags(List.of("t")); // the next read is stale: served, refreshed in the background
      cachet.get("k", Codecs.utf8(), policy, () -> {
        refresher.complete(Thread.currentThread());
        return "v2";
      });
      assertThat(refresher.get(10, TimeUnit.SECONDS).getName()).isEqualTo("cachet-refresh");
      closed[0] = context.getSourceApplicationContext();
    });
    assertThat(closed[0].isActive()).isFalse();
    // An idle pool thread would otherwise live on for its 30 s keep-alive (and the pool forever).
    Thread thread = refresher.get();
    thread.join(10_000);
    assertThat(thread.isAlive()).as("refresh thread after the context closed").isFalse();
  }

  @Test
  void theApplicationsStoreOutlivesTheCacheAndIsClosedOnlyByItsOwnBean() {
    OwnStore store = new OwnStore();
    runner.withBean("ownStore", CacheStore.class, () -> store).run(context -> {
      assertThat(context.getBean(Cachet.class).namespace()).isEqualTo("cachet");
      // Spring destroys a bean's dependents first: the cache before its store.
      assertThat(context.getBeanFactory().getDependentBeans("ownStore")).contains("cachet");
    });
    assertThat(store.events).containsExactly("store closed");
  }
}
