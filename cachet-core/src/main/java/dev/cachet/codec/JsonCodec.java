package dev.cachet.codec;

import dev.cachet.Codec;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes values as JSON with Jackson 3, for any type including generic ones
 * ({@code List<User>}): pass the full {@link Type}. Needs {@code tools.jackson.core:jackson-databind}
 * on the class path (an optional dependency of the core).
 *
 * <p>Thread-safe. Bytes that are not JSON of the type fail to decode, which Cachet reads as a miss.
 *
 * @param <V> the value type
 */
public final class JsonCodec<V> implements Codec<V> {
  private static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder().build();

  private final ObjectMapper mapper;
  private final JavaType type;

  private JsonCodec(ObjectMapper mapper, JavaType type) {
    this.mapper = mapper;
    this.type = type;
  }

  /** A codec for {@code type} with a default {@link JsonMapper}. */
  public static <V> JsonCodec<V> of(Class<V> type) {
    return of(DEFAULT_MAPPER, type);
  }

  /** A codec for {@code type}, which may be generic, with {@code mapper}. */
  public static <V> JsonCodec<V> of(ObjectMapper mapper, Type type) {
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(type, "type");
    return new JsonCodec<>(mapper, mapper.getTypeFactory().constructType(type));
  }

  @Override
  public byte[] encode(V value) {
    return mapper.writeValueAsBytes(value);
  }

  @Override
  public V decode(byte[] bytes) {
    return mapper.readValue(bytes, type);
  }

  /** Parses the range in place (no copy); the value built holds none of the bytes. */
  @Override
  public V decode(byte[] bytes, int offset, int length) {
    return mapper.readValue(bytes, offset, length, type);
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
