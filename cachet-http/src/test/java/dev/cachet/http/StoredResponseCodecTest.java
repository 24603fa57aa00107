package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Codec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StoredResponseCodecTest {
  private final Codec<StoredResponse> codec = StoredResponse.codec();

  private static StoredResponse sample() {
    HttpHeaders h = HttpHeaders.builder().add("Content-Type", "application/json; charset=utf-8")
        .add("X-Multi", "1").add("X-Multi", "2").add("X-Unicode", "caf\u00e9").add("ETag", "\"x\"").build();
    return StoredResponse.of(200, h, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTrips() {
    StoredResponse r = sample();
    byte[] bytes = codec.encode(r);
    StoredResponse back = codec.decode(bytes);
    assertThat(back).isEqualTo(r);
    assertThat(back.headers().all("x-multi")).containsExactly("1", "2");
    assertThat(back.headers().names()).containsExactly("Content-Type", "X-Multi", "X-Unicode", "ETag");
    assertThat(new String(back.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void decodesARangeInPlaceAndItsBodyIsImmuneToCallers() {
    byte[] encoded = codec.encode(sample());
    byte[] framed = new byte[encoded.length + 7];
    Arrays.fill(framed, (byte) 0x7F);
    System.arraycopy(encoded, 0, framed, 3, encoded.length);
    StoredResponse back = codec.decode(framed, 3, encoded.length);
    assertThat(back).isEqualTo(sample());
    back.body()[0] = 'X'; // a copy: the stored bytes stay as they are
    assertThat(codec.decode(framed, 3, encoded.length)).isEqualTo(sample());
    assertThatThrownBy(() -> codec.decode(framed, 3, encoded.length + 1)).hasMessageContaining("trailing");
    assertThatThrownBy(() -> codec.decode(framed, 3, encoded.length - 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void headersDecodedFromAnEntrysArrayAreReusedForThatArrayOnly() {
    byte[] entry = codec.encode(sample());
    StoredResponse first = codec.decode(entry, 0, entry.length);
    StoredResponse again = codec.decode(entry, 0, entry.length);
    assertThat(again).isEqualTo(sample());
    assertThat(again.headers()).isSameAs(first.headers());
    StoredResponse copy = codec.decode(entry.clone(), 0, entry.length);
    assertThat(copy).isEqualTo(sample());
    assertThat(copy.headers()).isNotSameAs(first.headers());
    // The one-argument form is for callers whose arrays may change: never remembered.
    assertThat(codec.decode(entry).headers()).isNotSameAs(first.headers());
  }

  @Test
  void concurrentDecodesOfManyEntriesNeverMixThemUp() throws Exception {
    int n = 2_000;
    byte[][] entries = new byte[n][];
    for (int i = 0; i < n; i++) {
      entries[i] = codec.encode(StoredResponse.of(200 + i % 100,
          HttpHeaders.of("X-Id", Integer.toString(i)), Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          Random random = new Random(seed);
          int wrong = 0;
          for (int k = 0; k < 50_000; k++) {
            int i = random.nextInt(n);
            StoredResponse r = codec.decode(entries[i], 0, entries[i].length);
            boolean right = r.status() == 200 + i % 100
                && Integer.toString(i).equals(r.headers().first("X-Id"))
                && Integer.toString(i).equals(new String(r.body(), StandardCharsets.UTF_8));
            wrong += right ? 0 : 1;
          }
          return wrong;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nonAsciiHeadersAreStrictUtf8() {
    byte[] encoded = codec.encode(sample());
    String text = new String(encoded, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("caf") + 3; // the two bytes of é
    byte[] broken = encoded.clone();
    broken[at + 1] = (byte) 0x28; // a lead byte followed by a non-continuation byte
    assertThatThrownBy(() -> codec.decode(broken)).hasMessageContaining("UTF-8");
  }

  @Test
  void isCompactAndVersioned() {
    StoredResponse r = StoredResponse.of(204, HttpHeaders.empty(), new byte[0]);
    assertThat(codec.encode(r)).containsExactly(1, 0, (byte) 204, 0, 0);
    byte[] bytes = codec.encode(sample());
    assertThat(bytes.length).isLessThan(120);
    assertThat(bytes[0]).isEqualTo((byte) 1);
  }

  @Test
  void corruptInputThrows() {
    byte[] good = codec.encode(sample());
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> codec.decode(version)).hasMessageContaining("version");
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length + 1)))
        .hasMessageContaining("trailing");
    byte[] status = good.clone();
    status[1] = 0x7F;
    assertThatThrownBy(() -> codec.decode(status)).hasMessageContaining("status");
    byte[] hugeCount = {1, 0, (byte) 200, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    assertThatThrownBy(() -> codec.decode(hugeCount)).isInstanceOf(IllegalArgumentException.class);
    byte[] badName = {1, 0, (byte) 200, 1, 3, 'a', ' ', 'b', 1, 'v', 0};
    assertThatThrownBy(() -> codec.decode(badName)).hasMessageContaining("header name");
    byte[] injected = {1, 0, (byte) 200, 1, 1, 'a', 3, 'v', '\r', '\n', 0};
    assertThatThrownBy(() -> codec.decode(injected)).hasMessageContaining("CR, LF");
  }

  @Test
  void randomGarbageNeverDecodesSilentlyIntoSomethingElse() {
    Random random = new Random(42);
    byte[] good = codec.encode(sample());
    for (int i = 0; i < 2_000; i++) {
      byte[] mutated = good.clone();
      mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
      try {
        StoredResponse r = codec.decode(mutated);
        // Decoding may succeed only when the flipped byte is part of a value: never a crash.
        assertThat(codec.encode(r).length).isEqualTo(mutated.length);
      } catch (IllegalArgumentException expected) {
        // counted as a corrupt entry by the core
      }
    }
  }

  @Property(tries = 200)
  void anyResponseRoundTrips(
      @ForAll @IntRange(min = 100, max = 599) int status, @ForAll @Size(max = 2000) byte[] body,
      @ForAll @Size(max = 5) java.util.List<@net.jqwik.api.constraints.AlphaChars @net.jqwik.api.constraints.StringLength(min = 1, max = 20) String> values) {
    HttpHeaders.Builder h = HttpHeaders.builder();
    for (int i = 0; i < values.size(); i++) {
      h.add("X-" + (i % 2), values.get(i));
    }
    StoredResponse r = StoredResponse.of(status, h.build(), body);
    assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
  }
}
