package dev.cachet.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.http.Compression;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** How {@code server.compression.*} and {@code cachet.http.compression.*} become the policy. */
class CompressionSettingsTest {
  private static Compression of(MockEnvironment env, Boolean enabled, int level) {
    CachetCompressionProperties cachet = new CachetCompressionProperties();
    cachet.setEnabled(enabled);
    cachet.setLevel(level);
    return CompressionSettings.of(env, cachet);
  }

  @Test
  void offUnlessServerCompressionOrCachetsSwitchIsOn() {
    assertThat(of(new MockEnvironment(), null, -1).enabled()).isFalse();
    assertThat(of(new MockEnvironment().withProperty("server.compression.enabled", "false"), null, -1).enabled()).isFalse();
    assertThat(of(new MockEnvironment().withProperty("server.compression.enabled", "true"), false, -1).enabled()).isFalse();
  }

  @Test
  void serverCompressionsTypesAndMinimumAreCachets() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("server.compression.enabled", "true")
        .withProperty("server.compression.mime-types", "application/json, text/csv;charset=utf-8")
        .withProperty("server.compression.additional-mime-types", "application/geo+json")
        .withProperty("server.compression.min-response-size", "4KB");
    Compression c = of(env, null, 9);
    assertThat(c.enabled()).isTrue();
    assertThat(c.mediaTypes()).containsExactlyInAnyOrder("application/json", "text/csv", "application/geo+json");
    assertThat(c.minBytes()).isEqualTo(4096);
    assertThat(c.level()).isEqualTo(9);
  }

  @Test
  void cachetsSwitchAloneUsesSpringBootsDefaults() {
    Compression c = of(new MockEnvironment(), true, -1);
    assertThat(c.enabled()).isTrue();
    assertThat(c.mediaTypes()).contains("application/json", "text/html");
    assertThat(c.minBytes()).isEqualTo(2048);
  }

  @Test
  void serverCompressionsExcludedUserAgentsAreCachets() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("server.compression.enabled", "true")
        .withProperty("server.compression.excluded-user-agents", "Mozilla/4\\.0 \\(compatible; MSIE 6.*, Broken/.*");
    assertThat(of(env, null, -1).excludedUserAgents())
        .containsExactlyInAnyOrder("Mozilla/4\\.0 \\(compatible; MSIE 6.*", "Broken/.*");
    assertThat(of(new MockEnvironment().withProperty("server.compression.enabled", "true"), null, -1)
        .excludedUserAgents()).isEmpty();
  }

  @Test
  void anExcludedUserAgentThatIsNoRegularExpressionFailsTheStart() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("server.compression.enabled", "true")
        .withProperty("server.compression.excluded-user-agents", "MSIE (6");
    assertThatThrownBy(() -> of(env, null, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MSIE (6");
  }

  @Test
  void aBadLevelFailsTheStart() {
    assertThatThrownBy(() -> of(new MockEnvironment(), true, 12)).isInstanceOf(IllegalArgumentException.class);
  }
}
