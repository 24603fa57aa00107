package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an IDE shows for Cachet's properties: the starter's merged configuration metadata
 * ({@code cachet.redis.url}'s is checked in RedisConnectionTest).
 */
class ConfigurationMetadataTest {
  /** The starter's properties by name, from its spring-configuration-metadata.json. */
  private static Map<String, JsonNode> properties() throws Exception {
    Map<String, JsonNode> byName = new HashMap<>();
    for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        JsonNode root = JsonMapper.builder().build().readTree(in);
        boolean cachets = false;
        for (JsonNode group : root.path("groups")) {
          cachets |= group.path("name").asString().equals("cachet");
        }
        if (cachets) {
          root.path("properties").forEach(p -> byName.put(p.path("name").asString(), p));
        }
      }
    }
    assertThat(byName).as("the starter's metadata").isNotEmpty();
    return byName;
  }

  @Test
  void theHealthIndicatorsSwitchIsDescribed() throws Exception {
    JsonNode enabled = properties().get("management.health.cachet.enabled");
    assertThat(enabled).isNotNull();
    assertThat(enabled.path("type").asString()).isEqualTo("java.lang.Boolean");
    assertThat(enabled.path("defaultValue").asBoolean(false)).isTrue();
    assertThat(enabled.path("description").asString()).contains("health indicator");
  }
}
