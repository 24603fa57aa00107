package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {

  @Test
  void parsesDirectivesWithAndWithoutValuesCaseInsensitively() {
    CacheControl cc = CacheControl.parse(List.of("No-Cache, max-age=60,MUST-REVALIDATE"));
    assertThat(cc.has("no-cache")).isTrue();
    assertThat(cc.value("no-cache")).isEmpty();
    assertThat(cc.value("max-age")).isEqualTo("60");
    assertThat(cc.has("must-revalidate")).isTrue();
    assertThat(cc.has("no-store")).isFalse();
  }

  @Test
  void quotedValuesMayHoldCommasAndEscapes() {
    CacheControl cc = CacheControl.parse(List.of("private=\"Set-Cookie, X-A\", no-store, x=\"a\\\"b\""));
    assertThat(cc.value("private")).isEqualTo("Set-Cookie, X-A");
    assertThat(cc.has("no-store")).isTrue();
    assertThat(cc.value("x")).isEqualTo("a\"b");
    assertThat(cc.has("x-a\"")).isFalse();
  }

  @Test
  void severalFieldLinesAreOneList() {
    CacheControl cc = CacheControl.parse(List.of("max-age=5", "no-store"));
    assertThat(cc.has("no-store")).isTrue();
    assertThat(cc.value("max-age")).isEqualTo("5");
  }

  @Test
  void junkIsSkippedNotFatal() {
    CacheControl cc = CacheControl.parse(List.of(",,  , =x, no-cache ,, private=\"unterminated"));
    assertThat(cc.has("no-cache")).isTrue();
    assertThat(cc.value("private")).isEqualTo("unterminated");
    assertThat(CacheControl.parse(List.of()).isEmpty()).isTrue();
    assertThat(CacheControl.parse(List.of("")).isEmpty()).isTrue();
  }

  @Test
  void theFirstOccurrenceOfADirectiveWins() {
    assertThat(CacheControl.parse(List.of("max-age=1, max-age=2")).value("max-age")).isEqualTo("1");
  }
}
