package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ETagsTest {

  @Test
  void strongTagIsLengthAndBothCrcsBase64urlInQuotes() {
    // "hello": length 5, CRC-32C 0x9a71bb4c, CRC-32 0x3610a686 (the published check values).
    assertThat(ETags.strong("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo("\"AAAABZpxu0w2EKaG\"");
    assertThat(ETags.strong(new byte[0])).isEqualTo("\"AAAAAAAAAAAAAAAA\"");
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(ETags.strong(body)).isEqualTo(ETags.strong(body.clone()))
        .isNotEqualTo(ETags.strong("hellp".getBytes(StandardCharsets.UTF_8)))
        .startsWith("\"").endsWith("\"").doesNotStartWith("W/");
  }

  @Test
  void aRangeHasTheTagOfItsBytesAlone() {
    byte[] framed = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
    assertThat(ETags.strong(framed, 2, 5)).isEqualTo(ETags.strong("hello".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aBodyGivenInPiecesHasTheTagOfTheWholeWhereverItIsCut() {
    byte[] body = new byte[100_000]; // several of the 16 KiB slices both CRCs share
    new java.util.Random(11).nextBytes(body);
    String whole = ETags.strong(body);
    java.util.Random cuts = new java.util.Random(13);
    for (int run = 0; run < 200; run++) {
      ETags.Strong pieces = new ETags.Strong();
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, cuts.nextInt(run % 2 == 0 ? 40_000 : 300));
        pieces.update(body, at, n); // empty pieces included
        at += n;
      }
      assertThat(pieces.tag()).as("run %d", run).isEqualTo(whole);
    }
  }

  @Test
  void everySingleBitFlipAndEveryTruncationOfALargeBodyChangesTheTag() {
    byte[] body = new byte[50_000];
    new java.util.Random(7).nextBytes(body);
    java.util.Set<String> tags = new java.util.HashSet<>();
    tags.add(ETags.strong(body));
    for (int bit = 0; bit < body.length * 8; bit += 37) {
      body[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(tags.add(ETags.strong(body))).as("flip of bit %d", bit).isTrue();
      body[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    for (int cut = 1; cut < 2_000; cut++) {
      assertThat(tags.add(ETags.strong(body, 0, body.length - cut))).as("cut %d", cut).isTrue();
    }
  }

  @Test
  void ifNoneMatchUsesWeakComparison() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("W/\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), "W/\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"b\""), "\"a\"")).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"A\""), "\"a\"")).isFalse();
  }

  @Test
  void listsAndSeveralLinesAndStar() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"x\", W/\"y\" ,\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"x\"", "\"a\""), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("*"), "\"a\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("*"), null)).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a\""), null)).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of(), "\"a\"")).isFalse();
  }

  @Test
  void commasInsideTagsDoNotSplitThem() {
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a,b\""), "\"a,b\"")).isTrue();
    assertThat(ETags.ifNoneMatchMatches(List.of("\"a,b\""), "\"a\"")).isFalse();
  }

  @Test
  void malformedMembersAreIgnored() {
    assertThat(ETags.ifNoneMatchMatches(List.of("a, \"b"), "\"a\"")).isFalse();
    assertThat(ETags.ifNoneMatchMatches(List.of("junk, \"a\""), "\"a\"")).isTrue();
  }
}
