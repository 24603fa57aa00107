package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.internal.KeyMapper;
import dev.cachet.store.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cachet on two real Memcached servers: keys, O(1) invalidation, races, cross-process single-flight. */
class MemcachedCachetIT {
  private static final Duration TTL = Duration.ofMinutes(5);
  @RegisterExtension static final TwoMemcached servers = new TwoMemcached();

  private String ns;

  @BeforeEach
  void freshNamespace() {
    ns = "c" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static MemcachedStore newStore() {
    return MemcachedStore.builder().servers(servers.addresses()).build();
  }

  private static Cachet cachet(String namespace) {
    return Cachet.builder().store(newStore()).namespace(namespace).build();
  }

  private static long sum(String stat) {
    return servers.first.stat(stat) + servers.second.stat(stat);
  }

  @Test
  void storeKeysBeyond250BytesWorkThroughCachet() {
    // A 60-character namespace plus a 190-character key is a literal store key of 257 characters:
    // the core passes it through and the store must map it.
    String longNs = ns + "n".repeat(60 - ns.length());
    try (Cachet cachet = cachet(longNs)) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      String base = "k".repeat(190);
      for (int i = 0; i < 50; i++) {
        cachet.put(base + i, "v" + i, Codecs.utf8(), policy);
      }
      cachet.put("ключ с пробелами\n\t*?[]" + "~".repeat(500), "odd", Codecs.utf8(), policy);
      for (int i = 0; i < 50; i++) {
        assertThat(cachet.getIfPresent(base + i, Codecs.utf8())).isEqualTo("v" + i);
      }
      assertThat(cachet.getIfPresent("ключ с пробелами\n\t*?[]" + "~".repeat(500), Codecs.utf8()))
          .isEqualTo("odd");
      assertThat(cachet.delete(base + 7)).isTrue();
      assertThat(cachet.getIfPresent(base + 7, Codecs.utf8())).isNull();
      assertThat(cachet.getIfPresent(base + 17, Codecs.utf8())).isEqualTo("v17");
      assertThat(cachet.stats().storeErrors()).isZero();
    }
  }

  @Test
  void tagInvalidationIsOneWriteAndNeverAFlush() {
    try (Cachet a = cachet(ns); Cachet b = cachet(ns + "b")) {
      CachePolicy users = CachePolicy.builder().ttl(TTL).tags("users").build();
      CachePolicy plain = CachePolicy.ofTtl(TTL);
      for (int i = 0; i < 200; i++) {
        a.put("u" + i, "a" + i, Codecs.utf8(), users);
        b.put("u" + i, "b" + i, Codecs.utf8(), users);
      }
      a.put("plain", "p", Codecs.utf8(), plain);
      long sets = sum("cmd_set");
      long deletes = sum("delete_hits") + sum("delete_misses");

      a.invalidateTags("users");

      assertThat(sum("cmd_set") - sets).isEqualTo(1); // one version bump for 200 entries
      assertThat(sum("delete_hits") + sum("delete_misses") - deletes).isZero();
      assertThat(sum("cmd_flush")).isZero();
      for (int i = 0; i < 200; i++) {
        assertThat(a.getIfPresent("u" + i, Codecs.utf8())).isNull();
        assertThat(b.getIfPresent("u" + i, Codecs.utf8())).isEqualTo("b" + i);
      }
      assertThat(a.getIfPresent("plain", Codecs.utf8())).isEqualTo("p");
    }
  }

  @Test
  void namespaceClearIsOneWriteAndLeavesOtherNamespaces() {
    try (Cachet a = cachet(ns); Cachet b = cachet(ns + "b")) {
      CachePolicy policy = CachePolicy.ofTtl(TTL);
      for (int i = 0; i < 100; i++) {
        a.put("k" + i, "a", Codecs.utf8(), policy);
        b.put("k" + i, "b", Codecs.utf8(), policy);
      }
      long sets = sum("cmd_set");

      a.clear();

      assertThat(sum("cmd_set") - sets).isEqualTo(1);
      assertThat(sum("cmd_flush")).isZero();
      for (int i = 0; i < 100; i++) {
        assertThat(a.getIfPresent("k" + i, Codecs.utf8())).isNull();
        assertThat(b.getIfPresent("k" + i, Codecs.utf8())).isEqualTo("b");
      }
    }
  }

  @Test
  void noStaleWriteBackAfterATagInvalidation() throws Exception {
    assertNoStaleWriteBack(other -> other.invalidateTags("t"));
  }

  @Test
  void noStaleWriteBackAfterANamespaceClear() throws Exception {
    assertNoStaleWriteBack(Cachet::clear);
  }

  /** A load that started before {@code invalidation} (run by another instance) is never served fresh. */
  private void assertNoStaleWriteBack(Consumer<Cachet> invalidation) throws Exception {
    CachePolicy tagged = CachePolicy.builder().ttl(TTL).tags("t").build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Cachet loader = cachet(ns); Cachet other = cachet(ns); MemcachedStore raw = newStore()) {
      // The tag exists before the load (a first load of a new tag that an invalidation overtakes
      // is not written at all: VersionCreationTest), so that the write-back happens.
      other.put("seed", "x", Codecs.utf8(), tagged);
      Future<String> slow = pool.submit(() -> loader.get("k", Codecs.utf8(), tagged, () -> {
        started.countDown();
        gate.await(10, TimeUnit.SECONDS);
        return "old";
      }));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      invalidation.accept(other);
      gate.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // its own caller gets it

      // The old value was written back, but under the versions seen before the invalidation.
      assertThat(raw.get(new KeyMapper(ns).entryKey("k"))).isNotNull();
      assertThat(loader.getIfPresent("k", Codecs.utf8())).isNull();
      assertThat(other.getIfPresent("k", Codecs.utf8())).isNull();
      assertThat(other.get("k", Codecs.utf8(), tagged, () -> "new")).isEqualTo("new");
      assertThat(loader.get("k", Codecs.utf8(), tagged, () -> "newer")).isEqualTo("new");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deleteByPatternRaisesTheTypedExceptionPointingToTags() {
    try (Cachet cachet = cachet(ns)) {
      cachet.put("user:1", "1", Codecs.utf8(), CachePolicy.ofTtl(TTL));
      assertThatThrownBy(() -> cachet.deleteByPattern("user:*"))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("tag");
      assertThatThrownBy(() -> cachet.invalidatePrefix("user:"))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("tag");
      assertThat(cachet.getIfPresent("user:1", Codecs.utf8())).isEqualTo("1");
    }
  }

  @Test
  void missesInTwoProcessesLoadOnceWithTheDistributedLock() throws Exception {
    CachePolicy locked = CachePolicy.builder().ttl(TTL).distributedLock(true).build();
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    int perInstance = 16;
    CyclicBarrier go = new CyclicBarrier(2 * perInstance);
    List<Thread> workers = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2 * perInstance, r -> {
      Thread t = new Thread(r, "single-flight-worker");
      synchronized (workers) {
        workers.add(t);
      }
      return t;
    });
    try (Cachet a = cachet(ns); Cachet b = cachet(ns)) {
      for (Cachet instance : List.of(a, b)) {
        for (int i = 0; i < perInstance; i++) {
          results.add(pool.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            return instance.get("shared", Codecs.utf8(), locked, () -> {
              loads.incrementAndGet();
              started.countDown();
              gate.await(10, TimeUnit.SECONDS);
              return "loaded once";
            });
          }));
        }
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      awaitAllParked(workers, 2 * perInstance); // every caller is inside get(), waiting
      gate.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo("loaded once");
      }
      assertThat(loads).hasValue(1);
      assertThat(a.stats().misses()).isPositive();
      assertThat(b.stats().misses()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitAllParked(List<Thread> workers, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      boolean parked;
      synchronized (workers) {
        parked = workers.size() == count && workers.stream().allMatch(t ->
            t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
      }
      if (parked) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("callers did not all block in get()");
      }
      Thread.onSpinWait();
    }
  }
}
