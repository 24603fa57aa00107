package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class EnvelopeProperties {

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<List<String>> tags = Arbitraries.strings().ofMinLength(1).ofMaxLength(40).list().ofMaxSize(5).uniqueElements();
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
    Arbitrary<String> keys = Arbitraries.strings().ofMaxLength(300).injectNull(0.5);
    return net.jqwik.api.Combinators.combine(tags, values, keys, Arbitraries.longs(), Arbitraries.strings().ofMaxLength(50))
        .as((t, v, k, stamp, type) -> {
          long[] versions = new long[t.size() * 2];
          for (int i = 0; i < versions.length; i++) {
            versions[i] = stamp + i;
          }
          return new Envelope(stamp, stamp + 1, stamp + 2, stamp + 3, stamp + 4, stamp ^ 5, t, versions, k, type, v);
        });
  }

  @Property
  void roundTrips(@ForAll("envelopes") Envelope envelope) {
    assertThat(Envelope.decode(envelope.encode())).isEqualTo(envelope);
  }

  @Property
  void anySingleByteChangeIsRejected(
      @ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] bytes = envelope.encode();
    bytes[where % bytes.length] ^= (byte) flip;
    assertThat(Envelope.decode(bytes)).isNull();
  }

  @Property
  void truncatedOrExtendedBytesAreRejected(@ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 1, max = 64) int cut) {
    byte[] bytes = envelope.encode();
    assertThat(Envelope.decode(java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - cut)))).isNull();
    assertThat(Envelope.decode(java.util.Arrays.copyOf(bytes, bytes.length + cut))).isNull();
  }

  @Property
  void randomBytesNeverThrow(@ForAll byte[] bytes) {
    Envelope.decode(bytes); // returns null or an envelope; must not throw
  }

  @Property
  void randomBytesBehindAValidHeaderNeverThrow(@ForAll byte[] tail) {
    byte[] bytes = new byte[tail.length + 3];
    bytes[0] = Envelope.MAGIC_0;
    bytes[1] = Envelope.MAGIC_1;
    bytes[2] = Envelope.FORMAT;
    System.arraycopy(tail, 0, bytes, 3, tail.length);
    Envelope.decode(bytes);
  }

  @Property
  void anUncheckedEntryDecodesOnlyWhereTrustedAndOnlyUnderItsKey(
      @ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 0, max = 1_000) int other) {
    byte[] bytes = envelope.encode("ns:k:a", false);
    assertThat(Envelope.decode(bytes, "ns:k:a", true)).isEqualTo(envelope);
    assertThat(Envelope.decode(bytes, "ns:k:a", false)).as("read from a store that is not in-process").isNull();
    assertThat(Envelope.decode(bytes, "ns:k:a" + other, true)).as("put under another key").isNull();
  }

  @Property
  void aCheckedEntryDecodesWhetherOrNotUncheckedOnesAreTrusted(@ForAll("envelopes") Envelope envelope) {
    byte[] bytes = envelope.encode("ns:k:a", true);
    assertThat(Envelope.decode(bytes, "ns:k:a", true)).isEqualTo(envelope);
    assertThat(Envelope.decode(bytes, "ns:k:a", false)).isEqualTo(envelope);
  }

  @Property
  void clearingTheUncheckedFlagOfAnUncheckedEntryFailsTheChecksum(@ForAll("envelopes") Envelope envelope) {
    byte[] bytes = envelope.encode("ns:k:a", false);
    bytes[3] &= (byte) ~Envelope.FLAG_UNCHECKED;
    assertThat(Envelope.decode(bytes, "ns:k:a", true)).isNull();
  }

  /** {@code envelope}'s value in an array with {@code lead} spare bytes beyond the fields' room before it and {@code tail} after. */
  private static byte[] arrayAround(Envelope envelope, int lead, int tail) {
    int fields = envelope.encode().length - envelope.valueLength() - 8; // all but value length, value, checksum
    byte[] array = new byte[fields + 4 + lead + 4 + envelope.valueLength() + tail + 4];
    java.util.Arrays.fill(array, (byte) 0x5A); // what a codec left there: the entry zeroes it
    System.arraycopy(envelope.valueArray(), envelope.valueOffset(), array, fields + 8 + lead, envelope.valueLength());
    return array;
  }

  private static int valueOffset(Envelope envelope, int lead) {
    return envelope.encode().length - envelope.valueLength() - 4 + 4 + lead;
  }

  @Property
  void aPlacedEntryRoundTripsWithItsValueWhereItLay(
      @ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 0, max = 300) int lead,
      @ForAll @IntRange(min = 0, max = 300) int tail, @ForAll boolean checked) {
    byte[] array = arrayAround(envelope, lead, tail);
    int at = valueOffset(envelope, lead);
    byte[] entry = envelope.encodePlaced("ns:k:a", checked, array, at, envelope.valueLength(), lead + tail);
    assertThat(entry).isSameAs(array);
    Envelope back = Envelope.decode(entry, "ns:k:a", true);
    assertThat(back).isEqualTo(envelope);
    assertThat(back.valueArray()).isSameAs(array);
    assertThat(back.valueOffset()).isEqualTo(at);
    assertThat(Envelope.decode(entry, "ns:k:a", false) != null).as("checked: decodes untrusted").isEqualTo(checked);
    assertThat(Envelope.decode(entry, "ns:k:b", true)).as("put under another key").isNull();
    for (int i = at - 4 - lead; i < at - 4; i++) {
      assertThat(entry[i]).as("unused byte %s", i).isZero();
    }
    for (int i = at + envelope.valueLength(); i < entry.length - 4; i++) {
      assertThat(entry[i]).as("unused byte %s", i).isZero();
    }
  }

  @Property
  void aPlacedEntryIsRefusedWhenItDoesNotFitOrWastesTooMuch(
      @ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 0, max = 300) int lead,
      @ForAll @IntRange(min = 0, max = 300) int tail) {
    byte[] array = arrayAround(envelope, lead, tail);
    byte[] before = array.clone();
    int at = valueOffset(envelope, lead);
    int n = envelope.valueLength();
    assertThat(envelope.encodePlaced("k", true, array, at, n, lead + tail - 1)).as("wastes too much").isNull();
    // the value ends 3 bytes before the end: no room for the checksum
    assertThat(envelope.encodePlaced("k", true, array, at + tail + 1, n, 1_000)).isNull();
    assertThat(envelope.encodePlaced("k", true, array, at - lead - 1, n, 1_000)).as("the fields do not fit").isNull();
    assertThat(array).as("nothing written when refused").isEqualTo(before);
  }

  @Property
  void aPlacedEntryRejectsDamage(
      @ForAll("envelopes") Envelope envelope, @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip, @ForAll @IntRange(min = 1, max = 64) int cut) {
    byte[] entry = envelope.encodePlaced("k", true, arrayAround(envelope, 7, 9), valueOffset(envelope, 7),
        envelope.valueLength(), 16);
    byte[] flipped = entry.clone();
    flipped[where % flipped.length] ^= (byte) flip;
    assertThat(Envelope.decode(flipped, "k")).isNull();
    assertThat(Envelope.decode(java.util.Arrays.copyOf(entry, Math.max(0, entry.length - cut)), "k")).isNull();
    assertThat(Envelope.decode(java.util.Arrays.copyOf(entry, entry.length + cut), "k")).isNull();
  }
}
