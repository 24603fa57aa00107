package dev.cachet.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.Codec;
import dev.cachet.fuzz.FuzzInput;
import dev.cachet.fuzz.FuzzMode;
import dev.cachet.fuzz.FuzzRuns;
import dev.cachet.fuzz.FuzzStrings;
import dev.cachet.fuzz.Mutations;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.StoredResponse;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredResponse#codec()} decoding bytes from anywhere: a response, or
 * {@link IllegalArgumentException} (which the core counts as a corrupt entry), nothing else; no
 * allocation sized by a declared length the bytes do not hold; and what decodes re-encodes to
 * the same response.
 */
class StoredResponseFuzzTest {
  private static final Codec<StoredResponse> CODEC = StoredResponse.codec();
  private static final String TOKEN_CHARS = "abcXYZ09-!#$%&'*+.^_`|~";

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @FuzzTest
  void decodeAnyBytes(byte[] bytes) {
    checkDecode(bytes);
  }

  @Test
  void damagedResponsesDecodeOrThrowIllegalArgument() {
    FuzzRuns.repeat("stored-response", 5_000, in ->
        checkDecode(in.intIn(0, 3) == 0
            ? in.bytes(200)
            : Mutations.mutate(CODEC.encode(response(in)), in)));
  }

  @Test
  void responsesRoundTrip() {
    FuzzRuns.repeat("stored-response-round-trip", 3_000, in -> {
      StoredResponse r = response(in);
      assertThat(CODEC.decode(CODEC.encode(r))).isEqualTo(r);
    });
  }

  /** A length prefix of 2^31 - 1 in a few bytes: refused before anything that size is allocated. */
  @Test
  void hugeDeclaredLengthsAllocateNothingOfThatSize() {
    byte[] maxVarint = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
    for (byte[] crafted : new byte[][] {
        concat(new byte[] {1, 0, (byte) 200, 0}, maxVarint), // body length
        concat(new byte[] {1, 0, (byte) 200, 1}, maxVarint), // first header name length
        concat(concat(new byte[] {1, 0, (byte) 200}, maxVarint), new byte[] {1, 'a', 1}), // count
    }) {
      assertThatThrownBy(() -> CODEC.decode(crafted)).isInstanceOf(IllegalArgumentException.class);
      long before = allocatedBytes();
      assertThatThrownBy(() -> CODEC.decode(crafted)).isInstanceOf(IllegalArgumentException.class);
      assertThat(allocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
    }
  }

  static void checkDecode(byte[] bytes) {
    StoredResponse decoded;
    try {
      decoded = CODEC.decode(bytes.clone());
    } catch (IllegalArgumentException documented) {
      decoded = null;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("decode threw on " + HexFormat.of().formatHex(bytes), e);
    }
    // Measured on a second decode: the first may load and initialize classes.
    long before = allocatedBytes();
    try {
      CODEC.decode(bytes.clone());
    } catch (IllegalArgumentException documented) {
      // as the first time
    }
    assertThat(allocatedBytes() - before).as("bytes allocated decoding %d bytes", bytes.length)
        .isLessThan(64L * bytes.length + (1 << 20));
    if (decoded != null) {
      assertThat(CODEC.decode(CODEC.encode(decoded))).as("re-decoded %s", decoded)
          .isEqualTo(decoded);
    }
  }

  static StoredResponse response(FuzzInput in) {
    HttpHeaders.Builder headers = HttpHeaders.builder();
    int count = in.length(6);
    for (int i = 0; i < count; i++) {
      String name = "h" + in.stringFrom(TOKEN_CHARS, 10);
      // No lone surrogates: they cannot be sent on the wire either (UTF-8 writes them as '?').
      String value = FuzzStrings.wellFormed(in.string(30))
          .replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
      headers.add(name, value);
    }
    return StoredResponse.of(in.intIn(100, 599), headers.build(), in.bytes(500));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
