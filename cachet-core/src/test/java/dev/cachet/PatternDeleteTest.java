package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pattern deletes against loads running meanwhile. */
class PatternDeleteTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));
  private final Cachet cachet = Cachet.builder().store(MemoryStore.create()).build();

  @AfterEach
  void close() {
    pool.shutdownNow();
    cachet.close();
  }

  @Test
  void aLoadOfAKeyNotStoredYetRacingDeleteByPatternIsNotWrittenBack() throws Exception {
    assertThat(loadAcross("user:1", c -> c.deleteByPattern("user:*"))).isNull();
  }

  @Test
  void aLoadOfAKeyNotStoredYetRacingInvalidatePrefixIsNotWrittenBack() throws Exception {
    assertThat(loadAcross("user:1", c -> c.invalidatePrefix("user:"))).isNull();
  }

  @Test
  void aLoadOfAHashedKeyRacingDeleteByPatternIsNotWrittenBack() throws Exception {
    String key = "user:" + "x".repeat(300); // stored under a hashed store key
    assertThat(loadAcross(key, c -> c.deleteByPattern("user:*"))).isNull();
  }

  @Test
  void aLoadOfAKeyThePatternDoesNotMatchIsStillWrittenBack() throws Exception {
    assertThat(loadAcross("order:1", c -> c.deleteByPattern("user:*"))).isEqualTo("old");
  }

  /**
   * Starts a load of {@code key} whose loader waits, runs {@code invalidation} meanwhile, lets the
   * load finish, and returns what is then cached under the key.
   */
  private String loadAcross(String key, Consumer<Cachet> invalidation) throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    Future<String> slow = pool.submit(() -> cachet.get(key, Codecs.utf8(), policy, () -> {
      loading.countDown();
      invalidated.await(10, TimeUnit.SECONDS);
      return "old";
    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    invalidation.accept(cachet);
    invalidated.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    return cachet.getIfPresent(key, Codecs.utf8());
  }
}
