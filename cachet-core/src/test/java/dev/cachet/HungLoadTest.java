package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A synchronous load still running after {@code maxWait} may be hung: the first caller that gives
 * up on it loads in its place and its value is stored, so the key is cached again instead of
 * costing every later caller {@code maxWait} and a load of its own; the load it took over from
 * still stores its value if it ends first, and never once the newer one is stored.
 */
class HungLoadTest {
  private static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(5));
  // Real time: maxWait is a wait on another thread's load, short so that the test is quick.
  private static final Duration MAX_WAIT = Duration.ofMillis(200);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void releaseTheHungLoader() {
    release.countDown();
    pool.shutdownNow();
  }

  /**
   * A {@code get} of "k" on another thread whose loader, once running, waits for {@code gate} and
   * returns {@code value}; returns when that loader runs (that is, leads the key's load).
   */
  private Future<String> loadingUntil(Cachet cachet, CountDownLatch gate, String value) throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Future<String> load = pool.submit(() -> cachet.get("k", Codecs.utf8(), POLICY, () -> {
      entered.countDown();
      gate.await();
      return value;
    }));
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the loader of '%s' runs", value).isTrue();
    return load;
  }

  @Test
  void aCallerThatGivesUpOnAHungLoadLoadsInItsPlaceAndItsValueIsStored() throws Exception {
    try (Cachet cachet = Cachet.builder().maxWait(MAX_WAIT).build()) {
      Future<String> hung = loadingUntil(cachet, release, "from the hung load");
      AtomicInteger loads = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), POLICY, () -> {
          loads.incrementAndGet();
          return "fresh";
        })).isEqualTo("fresh");
      }
      assertThat(loads).as("the first caller's load is stored; the next ones hit").hasValue(1);
      release.countDown();
      assertThat(hung.get(10, TimeUnit.SECONDS)).as("its own caller still gets it").isEqualTo("from the hung load");
      assertThat(cachet.get("k", Codecs.utf8(), POLICY, () -> "reloaded"))
          .as("the older load's value is never written over the newer").isEqualTo("fresh");
    }
  }

  @Test
  void aSlowLoadThatEndsBeforeTheOneThatTookItsPlaceIsStored() throws Exception {
    try (Cachet cachet = Cachet.builder().maxWait(MAX_WAIT).build()) {
      Future<String> slow = loadingUntil(cachet, release, "slow");
      CountDownLatch finishTakeOver = new CountDownLatch(1);
      // gives up on the slow load after maxWait, and takes its place
      Future<String> impatient = loadingUntil(cachet, finishTakeOver, "impatient");
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).as("stored, the newer load still running").isEqualTo("slow");
      finishTakeOver.countDown();
      assertThat(impatient.get(10, TimeUnit.SECONDS)).isEqualTo("impatient");
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).as("then replaced by the newer").isEqualTo("impatient");
    }
  }

  @Test
  void aDeleteReachesTheLoadThatWasTakenOverToo() throws Exception {
    try (Cachet cachet = Cachet.builder().maxWait(MAX_WAIT).build()) {
      Future<String> slow = loadingUntil(cachet, release, "slow");
      CountDownLatch finishTakeOver = new CountDownLatch(1);
      // gives up on the slow load after maxWait, and takes its place
      Future<String> impatient = loadingUntil(cachet, finishTakeOver, "impatient");
      cachet.delete("k"); // both loads started before it: neither may write back after it
      release.countDown();
      finishTakeOver.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(impatient.get(10, TimeUnit.SECONDS)).isEqualTo("impatient");
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
    }
  }

  @Test
  void aHungBackgroundRefreshIsTakenOverOnceTheEntryIsPastItsWindow() throws Exception {
    MutableClock clock = new MutableClock();
    CachePolicy swr = CachePolicy.builder().ttl(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(10)).build();
    try (Cachet cachet = Cachet.builder().clock(clock).maxWait(MAX_WAIT).build()) {
      cachet.put("k", "v1", Codecs.utf8(), swr);
      clock.advance(Duration.ofSeconds(11)); // stale, inside stale-while-revalidate
      CountDownLatch entered = new CountDownLatch(1);
      assertThat(cachet.get("k", Codecs.utf8(), swr, () -> {
        entered.countDown();
        release.await();
        return "v2";
      })).isEqualTo("v1");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofSeconds(20)); // past the window: a miss
      AtomicInteger loads = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        assertThat(cachet.get("k", Codecs.utf8(), swr, () -> {
          loads.incrementAndGet();
          return "v3";
        })).isEqualTo("v3");
      }
      assertThat(loads).hasValue(1);
    }
  }
}
