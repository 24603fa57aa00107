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

  /** A gzip body whose frame disagrees with its stored identity length is a corrupt entry. */
  @Test
  void damagedGzipBodiesAreRejectedWhenDecoded() {
    byte[] identity = "{\"rows\":[1,2,3,4,5,6,7,8,9]}".repeat(50).getBytes(StandardCharsets.UTF_8);
    Body gzip = GzipBodies.gzip(Body.of(identity), 6);
    byte[] good = codec.encode(StoredResponse.wrapGzipped(200, HttpHeaders.empty(), gzip, identity.length, null));
    StoredResponse decoded = codec.decode(good);
    assertThat(decoded.gzipped()).isTrue();
    assertThat(decoded.bodyLength()).isEqualTo(gzip.length());
    assertThat(decoded.identityLength()).isEqualTo(identity.length);
    assertThat(decoded.identityBody()).isEqualTo(identity);

    byte[] notGzip = good.clone();
    notGzip[0] = 0x00;
    byte[] wrongSize = good.clone();
    wrongSize[gzip.length() - 4]++; // the ISIZE trailer's low byte
    byte[] hugeClaim = codec.encode(StoredResponse.wrapGzipped(200, HttpHeaders.empty(), gzip, 1 << 30, null));
    for (byte[] bad : new byte[][] {notGzip, wrongSize, hugeClaim}) {
      assertThatThrownBy(() -> codec.decode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
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
    assertThatThrownBy(() -> codec.decode(framed, 3, encoded.length + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(framed, 2, encoded.length + 1)).isInstanceOf(IllegalArgumentException.class);
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
    // no header lines, status 204, body length 0, version 2
    assertThat(codec.encode(r)).containsExactly(0, 0, (byte) 204, 0, 0, 0, 0, 2);
    byte[] bytes = codec.encode(sample());
    assertThat(bytes.length).isLessThan(120);
    assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 2);
    assertThat(Arrays.copyOf(bytes, 7)).as("the body comes first").isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  /** A stored response's bytes: the body, the header part as given, then status, body length and version. */
  private static byte[] framed(String body, int[] headerPart, int status, int bodyLength, int version) {
    byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(b.length + headerPart.length + 7);
    out.put(b);
    for (int x : headerPart) {
      out.put((byte) x);
    }
    return out.putShort((short) status).putInt(bodyLength).put((byte) version).array();
  }

  @Test
  void corruptInputThrows() {
    byte[] good = codec.encode(sample());
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(new byte[] {0, 0, (byte) 200, 0, 0, 0, 0})).hasMessageContaining("version");
    byte[] version = good.clone();
    version[version.length - 1] = 1;
    assertThatThrownBy(() -> codec.decode(version)).hasMessageContaining("version");
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(codec.decode(framed("ab", new int[] {0}, 200, 2, 2)).bodyLength()).isEqualTo(2);
    assertThatThrownBy(() -> codec.decode(framed("ab", new int[] {0, 0}, 200, 2, 2))).hasMessageContaining("trailing");
    assertThatThrownBy(() -> codec.decode(framed("ab", new int[] {0}, 200, 4, 2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(framed("ab", new int[] {0}, 200, 9, 2))).hasMessageContaining("past the end");
    assertThatThrownBy(() -> codec.decode(framed("ab", new int[] {0}, 200, -1, 2))).hasMessageContaining("past the end");
    assertThatThrownBy(() -> codec.decode(framed("", new int[] {0}, 0x7F00, 0, 2))).hasMessageContaining("status");
    int[] hugeCount = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    assertThatThrownBy(() -> codec.decode(framed("", hugeCount, 200, 0, 2))).isInstanceOf(IllegalArgumentException.class);
    int[] badName = {1, 3, 'a', ' ', 'b', 1, 'v'};
    assertThatThrownBy(() -> codec.decode(framed("", badName, 200, 0, 2))).hasMessageContaining("header name");
    int[] injected = {1, 1, 'a', 3, 'v', '\r', '\n'};
    assertThatThrownBy(() -> codec.decode(framed("", injected, 200, 0, 2))).hasMessageContaining("CR, LF");
  }

  /** A response whose body lies in an array with {@code before} and {@code after} free bytes, as a presized capture leaves it. */
  private static StoredResponse captured(byte[] body, int before, int after) {
    byte[] array = new byte[before + body.length + after];
    System.arraycopy(body, 0, array, before, body.length);
    return StoredResponse.wrapPlaceable(200, sample().headers(), new Body(array, before, body.length));
  }

  @Test
  void aCapturedBodyIsPlacedWhereItLiesOnceAndDecodesBackFromThere() {
    byte[] body = new byte[20_000];
    new Random(7).nextBytes(body);
    StoredResponse r = captured(body, 100, 300);
    Codec.Placement p = codec.placement(r);
    assertThat(p).isNotNull();
    assertThat(p.array()).isSameAs(r.bodyView().soleArray());
    assertThat(p.offset()).isEqualTo(100);
    assertThat(p.length()).isEqualTo(codec.encodedLength(r));
    assertThat(Arrays.copyOfRange(p.array(), p.offset(), p.offset() + p.length()))
        .as("exactly what encode produces").isEqualTo(codec.encode(r));
    assertThat(codec.decode(p.array(), p.offset(), p.length())).isEqualTo(r);
    assertThat(codec.placement(r)).as("an array becomes one entry at most").isNull();
    assertThat(r.body()).as("the body itself is untouched").isEqualTo(body);
  }

  @Test
  void noPlacementWithoutRoomOrForBodiesNotCaptured() {
    byte[] body = new byte[1_000];
    StoredResponse tight = captured(body, 100, 20);
    assertThat(codec.placement(tight)).as("headers do not fit after the body").isNull();
    assertThat(tight.body()).isEqualTo(body);
    assertThat(codec.decode(codec.encode(tight))).isEqualTo(tight);
    assertThat(codec.placement(StoredResponse.of(200, HttpHeaders.empty(), body))).as("a caller's array").isNull();
    assertThat(codec.placement(sample())).isNull();
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
