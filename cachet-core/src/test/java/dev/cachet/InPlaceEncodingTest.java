package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.store.MemoryStore;
import dev.cachet.testing.ManualExecutor;
import dev.cachet.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Codecs that know their encoded length are written straight into the stored entry. */
class InPlaceEncodingTest {
  private final MutableClock clock = new MutableClock();
  private final MemoryStore store = MemoryStore.builder().clock(clock).build();
  private final Cachet cachet = Cachet.builder().store(store).clock(clock)
      .refreshExecutor(new ManualExecutor()).namespace("app").build();
  private final CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();

  @AfterEach
  void close() {
    cachet.close();
  }

  /** UTF-8 strings, counting how each path was taken; optionally failing in place. */
  static final class SizedUtf8 implements Codec<String> {
    final AtomicInteger plain = new AtomicInteger();
    final AtomicInteger inPlace = new AtomicInteger();
    volatile boolean failInPlace;

    @Override
    public byte[] encode(String value) {
      plain.incrementAndGet();
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int encodedLength(String value) {
      return value.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void encodeInto(String value, byte[] target, int offset) {
      if (failInPlace) {
        throw new IllegalStateException("cannot encode");
      }
      inPlace.incrementAndGet();
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
  }

  @Test
  void loadedAndPutValuesAreEncodedInPlaceAndReadBack() {
    SizedUtf8 codec = new SizedUtf8();
    assertThat(cachet.get("a", codec, policy, () -> "caf\u00e9 loaded")).isEqualTo("caf\u00e9 loaded");
    cachet.put("b", "put value", codec, policy);
    assertThat(codec.inPlace.get()).isEqualTo(2);
    assertThat(codec.plain.get()).isZero();
    assertThat(cachet.getIfPresent("a", codec)).isEqualTo("caf\u00e9 loaded");
    assertThat(cachet.getIfPresent("b", Codecs.utf8())).isEqualTo("put value");
    cachet.invalidateTags("t");
    assertThat(cachet.getIfPresent("a", codec)).isNull();
  }

  @Test
  void aCodecThatFailsInPlaceStoresNothingAndStillReturnsTheValue() {
    SizedUtf8 codec = new SizedUtf8();
    codec.failInPlace = true;
    assertThat(cachet.get("a", codec, policy, () -> "v1")).isEqualTo("v1");
    assertThat(cachet.exists("a")).isFalse();
    assertThat(cachet.stats().corruptEntries()).isEqualTo(1);
    cachet.put("b", "v2", codec, policy);
    assertThat(cachet.exists("b")).isFalse();
  }

  @Test
  void codecsWithoutALengthStillEncodeAsBefore() {
    assertThat(cachet.get("a", Codecs.utf8(), policy, () -> "plain")).isEqualTo("plain");
    assertThat(cachet.getIfPresent("a", Codecs.utf8())).isEqualTo("plain");
  }
}
