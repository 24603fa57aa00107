package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.ForwardingStore;
import dev.cachet.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delete or put that returns while a load of the same key is writing its value back: the
 * load's older value must not land after it.
 */
class WriteBackRaceTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(5));

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  /** A memory store whose next entry write blocks, once armed, until released. */
  static final class GatedPuts extends ForwardingStore {
    final AtomicBoolean armed = new AtomicBoolean();
    final CountDownLatch putting = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    GatedPuts() {
      super(MemoryStore.create());
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
      if (armed.getAndSet(false)) {
        putting.countDown();
        await(release);
      }
      super.put(key, value, ttl);
    }
  }

  /** UTF-8, whose first encoding blocks until released. */
  static final class GatedCodec implements Codec<String> {
    final CountDownLatch encoding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean armed = new AtomicBoolean(true);

    @Override
    public byte[] encode(String value) {
      if (armed.getAndSet(false)) {
        encoding.countDown();
        await(release);
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  @Test
  void aDeleteWhileTheLoadEncodesItsValueIsNotUndone() throws Exception {
    try (Cachet cachet = Cachet.builder().store(MemoryStore.create()).build()) {
      GatedCodec codec = new GatedCodec();
      Future<String> load = pool.submit(() -> cachet.get("k", codec, policy, () -> "old"));
      assertThat(codec.encoding.await(10, TimeUnit.SECONDS)).isTrue();
      cachet.delete("k");
      codec.release.countDown();
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(cachet.getIfPresent("k", codec)).isNull();
    }
  }

  @Test
  void aDeleteWhileTheLoadWritesItsValueLandsAfterIt() throws Exception {
    GatedPuts store = new GatedPuts();
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      store.armed.set(true);
      Future<String> load = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> "old"));
      assertThat(store.putting.await(10, TimeUnit.SECONDS)).isTrue();
      FutureTask<Boolean> delete = new FutureTask<>(() -> cachet.delete("k"));
      Thread deleter = new Thread(delete);
      deleter.start();
      awaitBlockedOrDone(deleter, delete); // done at once when nothing orders it after the write
      store.release.countDown();
      delete.get(10, TimeUnit.SECONDS);
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isNull();
    }
  }

  @Test
  void aPutWhileTheLoadWritesItsValueIsNotOverwritten() throws Exception {
    GatedPuts store = new GatedPuts();
    try (Cachet cachet = Cachet.builder().store(store).build()) {
      store.armed.set(true);
      Future<String> load = pool.submit(() -> cachet.get("k", Codecs.utf8(), policy, () -> "old"));
      assertThat(store.putting.await(10, TimeUnit.SECONDS)).isTrue();
      FutureTask<Void> put = new FutureTask<>(() -> cachet.put("k", "new", Codecs.utf8(), policy), null);
      Thread putter = new Thread(put);
      putter.start();
      awaitBlockedOrDone(putter, put);
      store.release.countDown();
      put.get(10, TimeUnit.SECONDS);
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("old");
      assertThat(cachet.getIfPresent("k", Codecs.utf8())).isEqualTo("new");
    }
  }

  /** Spins until {@code thread} waits for a lock or {@code task} has finished. */
  static void awaitBlockedOrDone(Thread thread, Future<?> task) {
    while (!task.isDone()
        && thread.getState() != Thread.State.BLOCKED
        && thread.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
