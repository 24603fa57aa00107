package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class JsonCodecTest {
  record User(long id, String name) {}

  @Test
  void roundTripsRecordsAndGenericTypes() {
    JsonCodec<List<User>> codec =
        JsonCodec.of(JsonMapper.builder().build(), new TypeReference<List<User>>() {}.getType());
    List<User> users = List.of(new User(1, "Ada"), new User(2, "Linus"));
    byte[] json = codec.encode(users);
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("[{\"id\":1,\"name\":\"Ada\"},{\"id\":2,\"name\":\"Linus\"}]");
    assertThat(codec.decode(json)).isEqualTo(users);
    assertThat(codec.contentType()).isEqualTo("application/json");
  }

  @Test
  void foreignBytesFailToDecode() {
    assertThatThrownBy(() -> JsonCodec.of(User.class).decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void worksThroughTheCache() {
    try (Cachet cachet = Cachet.builder().build()) {
      JsonCodec<User> codec = JsonCodec.of(User.class);
      CachePolicy policy = CachePolicy.ofTtl(Duration.ofMinutes(1));
      assertThat(cachet.get("u:1", codec, policy, () -> new User(1, "Ada"))).isEqualTo(new User(1, "Ada"));
      assertThat(cachet.get("u:1", codec, policy, () -> new User(1, "other"))).isEqualTo(new User(1, "Ada"));
    }
  }
}
