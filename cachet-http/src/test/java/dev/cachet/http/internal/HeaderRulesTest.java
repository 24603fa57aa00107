package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

  @Test
  void replayLeavesOutHopByHopCookiesAndComputedHeaders() {
    HttpHeaders origin = HttpHeaders.builder()
        .add("Content-Type", "application/json")
        .add("Connection", "keep-alive, X-Secret")
        .add("Keep-Alive", "timeout=5")
        .add("Transfer-Encoding", "chunked")
        .add("TE", "trailers").add("Trailer", "X-T").add("Upgrade", "h2c")
        .add("Proxy-Authenticate", "Basic").add("Proxy-Connection", "close")
        .add("X-Secret", "per-connection")
        .add("Set-Cookie", "a=1").add("Set-Cookie", "b=2")
        .add("Date", "Mon, 01 Jan 2024 00:00:00 GMT").add("Age", "3").add("Content-Length", "2")
        .add("X-Cache", "HIT").add("Cache-Status", "Inner; hit")
        .add("ETag", "\"e\"").add("Cache-Control", "max-age=60").add("X-Custom", "kept")
        .build();
    HttpHeaders replay = HeaderRules.replayable(origin);
    assertThat(replay.names()).containsExactly("Content-Type", "Date", "Cache-Status", "ETag", "Cache-Control", "X-Custom");
    assertThat(replay.all("x-custom")).containsExactly("kept");
  }

  @Test
  void notModifiedKeepsOnlyWhatA304Carries() {
    HttpHeaders h = HttpHeaders.of("ETag", "\"e\"", "Content-Type", "text/plain", "Cache-Control", "max-age=1",
        "Vary", "Accept", "Content-Encoding", "gzip");
    assertThat(HeaderRules.notModified(h).build().names()).containsExactly("ETag", "Cache-Control", "Vary");
  }

  @Test
  void httpDateIsImfFixdate() {
    assertThat(HeaderRules.httpDate(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void varyNamesAreLowerCased() {
    assertThat(HeaderRules.varyNames(List.of("Accept, X-A", "*"))).containsExactlyInAnyOrder("accept", "x-a", "*");
  }
}
