package dev.cachet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cachet.internal.Envelope;
import dev.cachet.internal.KeyMapper;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Envelope#decode} on bytes from anywhere (another app, a damaged store, an attacker who
 * can write to it): it returns {@code null} or an entry and never throws, never allocates far
 * more than it was given, and what it accepts survives {@code decode(encode(e))}. Jazzer fuzzes
 * these on demand (docs/fuzzing.md); the {@code @Test}s run the same properties on seeded random
 * inputs in every build.
 */
class EnvelopeFuzzTest {
  /** What a decode may allocate beyond 16 bytes per input byte (a 64K-tag table is ~1.3 MB). */
  private static final long ALLOCATION_ALLOWANCE = 4L << 20;

  @BeforeAll
  static void agentWhenFuzzing() {
    FuzzMode.requireAgentWhenFuzzing();
  }

  @FuzzTest
  void decodeAnyBytes(byte[] bytes) {
    checkDecode(bytes);
  }

  /** Bytes behind a valid header and checksum, so that the fuzzer gets past the CRC. */
  @FuzzTest
  void decodeChecksummedBytes(byte[] body) {
    checkDecode(withHeaderAndChecksum(body));
  }

  @FuzzTest
  void roundTripEnvelopes(FuzzedDataProvider data) {
    checkRoundTrip(FuzzInput.of(data));
  }

  @Test
  void damagedEnvelopesDecodeToNullOrAnEntry() {
    FuzzRuns.repeat("envelope-damaged", 5_000,
        in -> checkDecode(in.bool() ? in.bytes(300) : Mutations.mutate(envelope(in).encode(), in)));
  }

  @Test
  void damagedEnvelopesWithValidChecksumsDecodeToNullOrAnEntry() {
    FuzzRuns.repeat("envelope-checksummed", 5_000, in -> {
      byte[] encoded = envelope(in).encode();
      byte[] body = java.util.Arrays.copyOfRange(encoded, 3, encoded.length - 4);
      checkDecode(withHeaderAndChecksum(Mutations.mutate(body, in)));
    });
  }

  @Test
  void builtEnvelopesRoundTrip() {
    FuzzRuns.repeat("envelope-round-trip", 3_000, EnvelopeFuzzTest::checkRoundTrip);
  }

  static void checkDecode(byte[] bytes) {
    byte[] copy = bytes.clone();
    Envelope decoded;
    try {
      decoded = Envelope.decode(copy);
    } catch (RuntimeException | Error e) {
      throw new AssertionError("decode threw on " + HexFormat.of().formatHex(bytes), e);
    }
    // Measured on a second decode: the first may load and initialize classes.
    long before = allocatedBytes();
    Envelope.decode(copy);
    long allocated = allocatedBytes() - before;
    assertThat(allocated)
        .as("bytes allocated decoding %d bytes", bytes.length)
        .isLessThan(16L * bytes.length + ALLOCATION_ALLOWANCE);
    assertThat(copy).as("decode must not change its input").isEqualTo(bytes);
    if (decoded == null) {
      return;
    }
    assertThat(decoded.value().length).isLessThanOrEqualTo(bytes.length);
    byte[] again;
    try {
      again = decoded.encode();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "an envelope that decode accepted cannot be encoded again: " + decoded + " from "
              + abbreviatedHex(bytes), e);
    }
    assertThat(Envelope.decode(again)).as("decode(encode(e)) for %s", decoded).isEqualTo(decoded);
  }

  static void checkRoundTrip(FuzzInput in) {
    Envelope envelope = envelope(in);
    byte[] encoded = envelope.encode();
    assertThat(Envelope.decode(encoded))
        .as("decode(encode(e)) of %s (original key %s)", envelope,
            FuzzStrings.escapeJava(envelope.originalKey()))
        .isEqualTo(envelope);
  }

  /** An entry as the engine writes one: store-form tags, an optional original key of any text. */
  static Envelope envelope(FuzzInput in) {
    int tagCount = in.length(4);
    List<String> names = new ArrayList<>();
    long[] versions = new long[tagCount * 2];
    for (int i = 0; i < tagCount; i++) {
      names.add(KeyMapper.encode("t" + in.string(40)));
      versions[2 * i] = in.anyLong();
      versions[2 * i + 1] = in.anyLong();
    }
    String key = in.bool() ? null : in.string(300);
    return new Envelope(
        in.anyLong(), in.anyLong(), in.anyLong(), in.anyLong(), in.anyLong(), in.anyLong(), names,
        versions, key,
        in.bool() ? "application/octet-stream" : FuzzStrings.wellFormed(in.string(40)),
        in.bytes(2_000));
  }

  /** Magic, format 1, {@code body}, and the CRC32C of all of it. */
  static byte[] withHeaderAndChecksum(byte[] body) {
    byte[] bytes = new byte[3 + body.length + 4];
    bytes[0] = (byte) 0xCA;
    bytes[1] = (byte) 0xC7;
    bytes[2] = 1;
    System.arraycopy(body, 0, bytes, 3, body.length);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    java.nio.ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  private static String abbreviatedHex(byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 200));
    return bytes.length > 200 ? hex + "... (" + bytes.length + " bytes)" : hex;
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
