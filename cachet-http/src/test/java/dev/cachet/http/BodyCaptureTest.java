package dev.cachet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {
  private static final HttpHeaders MARK = HttpHeaders.of("X-Cache", "MISS");

  private static Forward forward(Forward.Mode mode, long cap) {
    return new Forward(mode, cap, reason -> MARK.toBuilder().add("X-Reason", reason).build());
  }

  @Test
  void buffersUpToTheCapWithoutTouchingTheClient() throws IOException {
    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.CAPTURE, 10).newBodyCapture(client);
    c.write("0123456789".getBytes(StandardCharsets.UTF_8));
    c.flush();
    c.close();
    assertThat(c.passedThrough()).isFalse();
    assertThat(c.bufferedBytes()).isEqualTo(10);
    assertThat(client.committed()).isFalse();
    assertThat(OriginResponse.of(200, HttpHeaders.empty(), c).bodyLength()).isEqualTo(10);
  }

  @Test
  void aBodySpanningManyChunksIsCapturedIntactAndStoredAsOneEntry() throws IOException {
    byte[] body = new byte[300_000];
    new java.util.Random(3).nextBytes(body);
    BodyCapture c = forward(Forward.Mode.CAPTURE, 1 << 20).newBodyCapture(new Client());
    java.util.Random sizes = new java.util.Random(4);
    for (int at = 0; at < body.length; ) {
      int n = Math.min(body.length - at, sizes.nextInt(20_000));
      if (n == 1) {
        c.write(body[at]);
      } else {
        c.write(body, at, n);
      }
      at += n;
    }
    Body captured = c.buffered();
    assertThat(captured.length()).isEqualTo(body.length);
    assertThat(captured.copy()).isEqualTo(body);
    dev.cachet.http.internal.ETags.Strong etag = new dev.cachet.http.internal.ETags.Strong();
    captured.forEachRange(etag::update);
    assertThat(etag.tag())
        .isEqualTo(dev.cachet.http.internal.ETags.strong(body));
    StoredResponse stored = StoredResponse.wrap(200, HttpHeaders.of("Content-Type", "application/json"), captured);
    byte[] encoded = StoredResponse.codec().encode(stored);
    assertThat(encoded).hasSize(StoredResponse.codec().encodedLength(stored));
    byte[] framed = new byte[encoded.length + 9];
    StoredResponse.codec().encodeInto(stored, framed, 5);
    assertThat(java.util.Arrays.copyOfRange(framed, 5, 5 + encoded.length)).isEqualTo(encoded);
    assertThat(StoredResponse.codec().decode(encoded).body()).isEqualTo(body);
  }

  @Test
  void passingThroughAfterSeveralChunksSendsEveryByteInOrder() throws IOException {
    byte[] body = new byte[40_000];
    new java.util.Random(5).nextBytes(body);
    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.CAPTURE, 30_000).newBodyCapture(client);
    c.write(body, 0, 29_000);
    c.write(body, 29_000, 11_000);
    assertThat(c.passedThrough()).isTrue();
    assertThat(client.received()).isEqualTo(body);
  }

  @Test
  void switchesToTheClientPastTheCapSendingWhatWasBufferedFirst() throws IOException {
    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.CAPTURE, 10).newBodyCapture(client);
    c.write("01234567".getBytes(StandardCharsets.UTF_8));
    c.write('8');
    c.write("9abc".getBytes(StandardCharsets.UTF_8));
    c.write("def".getBytes(StandardCharsets.UTF_8));
    assertThat(c.passedThrough()).isTrue();
    assertThat(client.receivedText()).isEqualTo("0123456789abcdef");
    assertThat(client.opens()).isEqualTo(1);
    assertThat(client.committedWith().first("X-Reason")).isEqualTo("too-large");
    assertThat(c.bufferedBytes()).isZero();
    OriginResponse r = OriginResponse.of(200, HttpHeaders.empty(), c);
    assertThat(r.passedThrough()).isTrue();
    assertThat(r.bodyLength()).isZero();
    c.close();
    assertThat(client.closed()).isTrue();
  }

  @Test
  void streamingPassesThroughAtOnce() throws IOException {
    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.CAPTURE, 100).newBodyCapture(client);
    c.write("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
    c.passThrough();
    assertThat(client.receivedText()).isEqualTo("data: 1\n\n");
    assertThat(client.committedWith().first("X-Reason")).isEqualTo("streaming");
    c.passThrough(); // idempotent
    assertThat(client.opens()).isEqualTo(1);
  }

  @Test
  void passThroughModeOpensOnTheFirstWriteOrFlushOnly() throws IOException {
    Client empty = new Client();
    BodyCapture none = forward(Forward.Mode.PASS_THROUGH, 100).newBodyCapture(empty);
    none.close();
    assertThat(empty.committed()).isFalse();

    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.PASS_THROUGH, 100).newBodyCapture(client);
    c.write('x');
    assertThat(client.committed()).isTrue();
    assertThat(client.receivedText()).isEqualTo("x");
    assertThat(client.committedWith().first("X-Reason")).isEqualTo("uncached");
  }

  @Test
  void detachedNeverReachesTheClientAndAbortsWhatCannotBeStored() throws IOException {
    Client client = new Client();
    BodyCapture c = forward(Forward.Mode.DETACHED, 4).newBodyCapture(client);
    c.write("1234".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> c.write('5')).isInstanceOf(IOException.class).hasMessageContaining("4 bytes");
    assertThatThrownBy(c::passThrough).isInstanceOf(IOException.class);
    assertThat(client.committed()).isFalse();
  }

  @Test
  void boundsAreChecked() {
    BodyCapture c = forward(Forward.Mode.CAPTURE, 4).newBodyCapture(new Client());
    assertThatThrownBy(() -> c.write(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static BodyCapture presized(int expected) {
    return new Forward(Forward.Mode.CAPTURE, 1 << 20, reason -> MARK, expected).newBodyCapture(new Client());
  }

  @Test
  void anExpectedBodyIsCapturedInOneArrayWithRoomAroundIt() throws IOException {
    byte[] body = new byte[20_000];
    new java.util.Random(5).nextBytes(body);
    BodyCapture c = presized(20_000);
    c.write(body, 0, 8000);
    c.write(body, 8000, 12_000);
    Body captured = c.buffered();
    assertThat(c.placeable()).isTrue();
    assertThat(captured.soleArray()).isNotNull();
    assertThat(captured.offset()).isEqualTo(BodyCapture.HEADROOM);
    assertThat(captured.soleArray().length - captured.offset() - body.length)
        .isEqualTo(20_000 / 32 + BodyCapture.TAILROOM);
    assertThat(captured.copy()).isEqualTo(body);
  }

  @Test
  void aWriteAfterTheBodyWasTakenNeverTouchesItsArray() throws IOException {
    BodyCapture c = presized(20_000);
    c.write(new byte[20_000]);
    Body taken = c.buffered();
    byte[] before = taken.soleArray().clone();
    c.write(new byte[] {1, 2, 3});
    assertThat(taken.soleArray()).as("the room after the body stays free").isEqualTo(before);
    assertThat(c.placeable()).isFalse();
    assertThat(c.buffered().length()).isEqualTo(20_003);
    assertThat(c.buffered().copy()[20_001]).isEqualTo((byte) 2);
  }

  @Test
  void aBodyLargerThanExpectedSpillsIntoChunksAndIsNotPlaceable() throws IOException {
    byte[] body = new byte[20_000 + 20_000 / 32 + BodyCapture.TAILROOM + 1];
    new java.util.Random(6).nextBytes(body);
    BodyCapture c = presized(20_000);
    c.write(body);
    assertThat(c.placeable()).isFalse();
    assertThat(c.buffered().copy()).isEqualTo(body);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    c.buffered().writeTo(out);
    assertThat(out.toByteArray()).isEqualTo(body);
  }

  @Test
  void smallOrUnknownSizesAndPassThroughAreNotPresized() throws IOException {
    BodyCapture small = presized(BodyCapture.PRESIZE_FROM - 1);
    small.write(new byte[100]);
    assertThat(small.placeable()).isFalse();
    BodyCapture empty = presized(20_000);
    assertThat(empty.buffered().length()).isZero();
    assertThat(empty.placeable()).isFalse();
    BodyCapture through = new Forward(Forward.Mode.PASS_THROUGH, 1 << 20, reason -> MARK, 20_000)
        .newBodyCapture(new Client());
    through.write(new byte[20_000]);
    assertThat(through.placeable()).isFalse();
    BodyCapture overCap = new Forward(Forward.Mode.CAPTURE, 10_000, reason -> MARK, 20_000)
        .newBodyCapture(new Client());
    overCap.write(new byte[5_000]);
    assertThat(overCap.placeable()).isFalse();
  }

  @Test
  void discardForgetsWhatWasBufferedAndKeepsTheCapAndPlacement() throws IOException {
    byte[] body = new byte[20_000];
    new java.util.Random(7).nextBytes(body);
    BodyCapture c = presized(20_000);
    c.write(new byte[15_000]); // a partial body the handler gives up on
    c.discard();
    assertThat(c.bufferedBytes()).isZero();
    c.write(body);
    Body captured = c.buffered();
    assertThat(captured.copy()).isEqualTo(body);
    assertThat(c.placeable()).as("the new body is laid out as a fresh one").isTrue();
    assertThat(captured.offset()).isEqualTo(BodyCapture.HEADROOM);

    Client client = new Client();
    BodyCapture small = forward(Forward.Mode.CAPTURE, 10).newBodyCapture(client);
    small.write("12345678".getBytes(StandardCharsets.UTF_8));
    small.discard();
    small.write("abcdefgh".getBytes(StandardCharsets.UTF_8)); // fits: the discarded bytes no longer count
    assertThat(small.passedThrough()).isFalse();
    assertThat(small.buffered().copy()).isEqualTo("abcdefgh".getBytes(StandardCharsets.UTF_8));
    small.write("XYZ".getBytes(StandardCharsets.UTF_8));
    assertThat(small.passedThrough()).isTrue();
    assertThat(client.receivedText()).isEqualTo("abcdefghXYZ");
    assertThatThrownBy(small::discard).isInstanceOf(IllegalStateException.class);
  }
}
