package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A load pushed out of the single-flight by a caller that captured other versions is out of
 * reach of the deletes that would poison it, so it must never write its value: here it holds the
 * newer versions, and its value, loaded before a delete that returned, would be served fresh.
 */
class ReplacedFlightTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  /** A memory store whose first version read on a thread named "late" pauses after reading. */
  static final class PausedVersionReads extends ForwardingStore {
    final AtomicInteger lateReads = new AtomicInteger();
    final CountDownLatch read = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    PausedVersionReads() {
      super(MemoryStore.create());
    }

    @Override
    public long[] getVersions(List<String> keys) {
      long[] versions = super.getVersions(keys);
      if (Thread.currentThread().getName().equals("late") && lateReads.incrementAndGet() == 1) {
        read.countDown();
        await(resume);
      }
      return versions;
    }
  }

  @Test
  void aLoadPushedOutOfTheFlightNeverWritesItsValue() throws Exception {
    PausedVersionReads store = new PausedVersionReads();
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      cachet.put("other", "x", Codecs.utf8(), policy); // the tag has a version to capture
      // "late" captures the tag's versions, then pauses before it registers its load.
      CountDownLatch lateLoads = new CountDownLatch(1);
      Thread late = new Thread(() -> cachet.get("k", Codecs.utf8(), policy, () -> {
        lateLoads.countDown();
        return "late";
      }), "late");
      late.start();
      assertThat(store.read.await(10, TimeUnit.SECONDS)).isTrue();

      // The tag changes; a new load captures the newer versions and starts reading old data.
      cachet.invalidateTags("t");
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      Future<String> current = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> {
        loading.countDown();
        await(finish);
        return "old";
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

      // "late" goes on: its versions differ, so it replaces the running load in the flight map.
      store.resume.countDown();
      assertThat(lateLoads.await(10, TimeUnit.SECONDS)).isTrue();
      late.join(10_000);

      // The data changes; the delete returns; then the pushed-out load finishes.
      cachet.delete("k");
      finish.countDown();
      current.get(10, TimeUnit.SECONDS);

      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
