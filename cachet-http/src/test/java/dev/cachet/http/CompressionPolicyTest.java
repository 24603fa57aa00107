package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Codec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@link Compression} policy's builder and rules, and the stored form of compressed responses. */
class CompressionPolicyTest {
  private final Compression json = Compression.builder().mediaTypes("Application/JSON").minBytes(10).build();

  @Test
  void buildersFailFast() {
    assertThatThrownBy(() -> Compression.builder().level(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().level(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().minBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().mediaTypes()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().mediaTypes("json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().mediaTypes("text/plain; charset=utf-8"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Compression.builder().level(1).level(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Compression.builder().excludedUserAgents("MSIE (6"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MSIE (6");
    assertThatThrownBy(() -> Compression.builder().excludedUserAgents("a").excludedUserAgents("b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HttpCacheConfig.builder().compression(Compression.off()).compression(json))
        .isInstanceOf(IllegalStateException.class);
    assertThat(HttpCacheConfig.defaults().compression().enabled()).isFalse();
    assertThat(Compression.builder().build().mediaTypes()).contains("application/json", "text/plain");
  }

  @Test
  void appliesToItsTypesFromTheMinimumWithoutAnEncodingOfTheirOwn() {
    HttpHeaders jsonUtf8 = HttpHeaders.of("Content-Type", "application/json; charset=UTF-8");
    assertThat(json.applies(jsonUtf8, 10)).isTrue();
    assertThat(json.applies(jsonUtf8, 9)).isFalse();
    assertThat(json.applies(HttpHeaders.of("Content-Type", "APPLICATION/JSON"), 100)).isTrue();
    assertThat(json.applies(HttpHeaders.of("Content-Type", "application/problem+json"), 100)).isFalse();
    assertThat(json.applies(HttpHeaders.of("Content-Type", "image/png"), 100)).isFalse();
    assertThat(json.applies(HttpHeaders.empty(), 100)).isFalse();
    assertThat(json.applies(jsonUtf8.toBuilder().add("Content-Encoding", "gzip").build(), 100)).isFalse();
    assertThat(Compression.builder().mediaTypes("application/json").minBytes(0).build().applies(jsonUtf8, 0))
        .as("an empty body has nothing to compress").isFalse();
    assertThat(Compression.off().applies(jsonUtf8, 100_000)).isFalse();
  }

  @Test
  void compressedResponsesRoundTripAsVersion3AndOthersStayVersion2() {
    Codec<StoredResponse> codec = StoredResponse.codec();
    byte[] identity = "{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}".getBytes(StandardCharsets.UTF_8);
    HttpHeaders h = HttpHeaders.of("Content-Type", "application/json");
    StoredResponse compressed = Compressor.compress(json, 200, h, Body.of(identity));
    assertThat(compressed).isNotNull();
    byte[] bytes = codec.encode(compressed);
    assertThat(bytes[bytes.length - 1]).isEqualTo(StoredResponseCodec.GZIPPED_VERSION);
    StoredResponse back = codec.decode(bytes);
    assertThat(back).isEqualTo(compressed);
    assertThat(back.gzipped()).isTrue();
    assertThat(back.identityLength()).isEqualTo(identity.length);
    assertThat(back.identityBodyView().copy()).isEqualTo(identity);
    assertThat(back.headers().all("Vary")).containsExactly("Accept-Encoding");

    byte[] plain = codec.encode(StoredResponse.of(200, h, identity));
    assertThat(plain[plain.length - 1]).isEqualTo(StoredResponseCodec.VERSION);
    assertThat(codec.decode(plain).gzipped()).isFalse();

    byte[] negative = bytes.clone();
    negative[negative.length - 5] = (byte) 0x80; // identity length's high byte
    assertThatThrownBy(() -> codec.decode(negative)).isInstanceOf(IllegalArgumentException.class);
    byte[] truncated = java.util.Arrays.copyOfRange(bytes, bytes.length - 9, bytes.length);
    assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bodiesGzipCannotShrinkAreStoredAsTheyAre() {
    byte[] random = new byte[4096];
    new java.util.Random(7).nextBytes(random);
    assertThat(Compressor.compress(json, 200, HttpHeaders.of("Content-Type", "application/json"), Body.of(random)))
        .isNull();
  }
}
