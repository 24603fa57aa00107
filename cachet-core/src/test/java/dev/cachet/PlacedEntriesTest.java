package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.internal.KeyMapper;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A codec that offers the array its value already lies in ({@link Codec#placement}) has that
 * array stored as the entry itself, in a store whose bytes stay in the process, when it leaves
 * little unused; otherwise the value is encoded into an entry of its own.
 */
class PlacedEntriesTest {
  static final CachePolicy POLICY = CachePolicy.builder().ttl(Duration.ofMinutes(1)).tags("t").build();
  static final String STORE_KEY = new KeyMapper("ns").entryKey("k");

  /** A value that lies in a range of an array with free room around it. */
  record Held(byte[] array, int offset, int length, AtomicBoolean placeable) {
    static Held of(byte[] value, int before, int after) {
      byte[] array = new byte[before + value.length + after];
      System.arraycopy(value, 0, array, before, value.length);
      return new Held(array, before, value.length, new AtomicBoolean(true));
    }

    byte[] bytes() {
      return Arrays.copyOfRange(array, offset, offset + length);
    }
  }

  static final class PlacingCodec implements Codec<Held> {
    int offered;

    @Override
    public byte[] encode(Held value) {
      return value.bytes();
    }

    @Override
    public Held decode(byte[] bytes) {
      return new Held(bytes, 0, bytes.length, new AtomicBoolean(false));
    }

    @Override
    public @Nullable Placement placement(Held value) {
      if (!value.placeable().compareAndSet(true, false)) {
        return null;
      }
      offered++;
      return new Placement(value.array(), value.offset(), value.length());
    }
  }

  private static byte[] value(int n) {
    byte[] v = new byte[n];
    new java.util.Random(n).nextBytes(v);
    return v;
  }

  @Test
  void theArrayBecomesTheEntryAndServesHits() {
    MemoryStore store = MemoryStore.builder().build();
    PlacingCodec codec = new PlacingCodec();
    try (Cachet cachet = Cachet.builder().store(store).namespace("ns").build()) {
      byte[] v = value(10_000);
      Held held = Held.of(v, 256, 64);
      CacheResult<Held> loaded = cachet.fetch("k", codec, POLICY, () -> Loaded.of(held));
      assertThat(loaded.status()).isEqualTo(CacheResult.Status.MISS);
      assertThat(store.get(STORE_KEY)).as("stored without a copy").isSameAs(held.array());
      assertThat(held.bytes()).as("the value's range untouched").isEqualTo(v);
      assertThat(cachet.get("k", codec, POLICY, () -> Held.of(new byte[1], 0, 0)).bytes()).isEqualTo(v);
      assertThat(cachet.stats().corruptEntries()).isZero();
    }
  }

  @Test
  void anArrayWithTooMuchRoomIsCopiedInstead() {
    MemoryStore store = MemoryStore.builder().build();
    PlacingCodec codec = new PlacingCodec();
    try (Cachet cachet = Cachet.builder().store(store).namespace("ns").build()) {
      byte[] v = value(10_000);
      Held held = Held.of(v, 256, 10_000 / 8 + 1); // past an eighth of the value unused
      cachet.put("k", held, codec, POLICY);
      assertThat(codec.offered).isEqualTo(1);
      assertThat(store.get(STORE_KEY)).isNotSameAs(held.array());
      assertThat(cachet.getIfPresent("k", codec).bytes()).isEqualTo(v);
    }
  }

  @Test
  void tooLittleRoomForTheEntrysFieldsIsCopiedInstead() {
    MemoryStore store = MemoryStore.builder().build();
    try (Cachet cachet = Cachet.builder().store(store).namespace("ns").build()) {
      byte[] v = value(5_000);
      Held held = Held.of(v, 10, 64);
      cachet.put("k", held, new PlacingCodec(), POLICY);
      assertThat(store.get(STORE_KEY)).isNotSameAs(held.array());
      assertThat(cachet.getIfPresent("k", new PlacingCodec()).bytes()).isEqualTo(v);
    }
  }

  @Test
  void storesWhoseBytesLeaveTheProcessAreNotOfferedTheArray() {
    MemoryStore memory = MemoryStore.builder().build();
    PlacingCodec codec = new PlacingCodec();
    try (Cachet cachet = Cachet.builder().store(new InProcessEntriesTest.Remote(memory)).namespace("ns").build()) {
      byte[] v = value(10_000);
      Held held = Held.of(v, 256, 64);
      cachet.put("k", held, codec, POLICY);
      assertThat(codec.offered).isZero();
      assertThat(memory.get(STORE_KEY)).isNotSameAs(held.array());
      assertThat(cachet.getIfPresent("k", codec).bytes()).isEqualTo(v);
    }
  }

  @Test
  void oneValueStoredUnderTwoKeysIsPlacedOnceAndCopiedOnce() {
    MemoryStore store = MemoryStore.builder().build();
    PlacingCodec codec = new PlacingCodec();
    try (Cachet cachet = Cachet.builder().store(store).namespace("ns").build()) {
      byte[] v = value(10_000);
      Held held = Held.of(v, 256, 64);
      cachet.put("k", held, codec, POLICY);
      cachet.put("other", held, codec, POLICY);
      assertThat(store.get(STORE_KEY)).isSameAs(held.array());
      assertThat(cachet.getIfPresent("k", codec).bytes()).isEqualTo(v);
      assertThat(cachet.getIfPresent("other", codec).bytes()).isEqualTo(v);
    }
  }
}
