package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/** On a store that cannot list keys, listing and pattern purges answer 501; the rest works. */
class AdminCapabilityTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    CacheStore store() {
      return new NoScanStore(MemoryStore.create());
    }
  }

  private static AdminHttp http;

  @BeforeAll
  static void start() {
    http = AdminHttp.start(App.class, "cachet.admin.enabled=true", "cachet.admin.token=" + AdminHttp.TOKEN);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  @Test
  void listingAndPatternPurgesAre501WithAClearMessage() {
    for (String[] call : new String[][] {{"GET", "/cachet/keys"}, {"POST", "/cachet/clear?pattern=user:*"}}) {
      AdminHttp.Reply reply = http.send(call[0], call[1], AdminHttp.TOKEN, null, null);
      assertThat(reply.status()).as(call[1]).isEqualTo(501);
      JsonNode body = reply.json();
      assertThat(body.get("capability").asString()).isEqualTo("PATTERN_SCAN");
      assertThat(body.get("message").asString()).contains("NoScanStore").containsAnyOf("tag", "by key");
    }
    String listing = http.get("/cachet/keys", AdminHttp.TOKEN).json().get("message").asString();
    assertThat(listing).as("what this API offers instead").contains("DELETE .../keys?key=").contains("invalidate")
        .doesNotContain("look");
    // A malformed pattern is still the caller's mistake.
    assertThat(http.send("POST", "/cachet/clear?pattern=%5Bx", AdminHttp.TOKEN, null, null).status()).isEqualTo(400);
  }

  @Test
  void keysTagsAndClearingWorkWithoutListing() {
    Cachet cachet = http.bean(Cachet.class);
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(5)).tags("t").build();
    cachet.put("a", "1", Codecs.utf8(), policy);
    cachet.put("b", "2", Codecs.utf8(), policy);
    cachet.put("c", "3", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(5)));
    assertThat(http.send("DELETE", "/cachet/keys?key=a", AdminHttp.TOKEN, null, null).json().get("deleted").asBoolean())
        .isTrue();
    assertThat(http.send("POST", "/cachet/invalidate?tag=t", AdminHttp.TOKEN, null, null).status()).isEqualTo(200);
    assertThat(cachet.exists("b")).isFalse();
    assertThat(cachet.exists("c")).isTrue();
    assertThat(http.send("POST", "/cachet/clear", AdminHttp.TOKEN, null, null).status()).isEqualTo(200);
    assertThat(cachet.exists("c")).isFalse();
    JsonNode health = http.get("/cachet/health", AdminHttp.TOKEN).json();
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("store").asString()).isEqualTo("NoScanStore");
    assertThat(health.get("capabilities").size()).isZero();
    assertThat(health.get("entries").isNull()).isTrue();
  }
}
