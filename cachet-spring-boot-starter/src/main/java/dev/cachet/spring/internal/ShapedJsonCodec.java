package dev.cachet.spring.internal;

import dev.cachet.Codec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;

/**
 * JSON of a cached method's value, written and read as its declared type, behind a label naming the value type's {@link ValueShape}:
 * bytes written for another shape (an older deploy's record), or without the label, fail to
 * decode, which Cachet reads as a counted miss, never as a value Jackson filled in half.
 * Thread-safe.
 */
final class ShapedJsonCodec implements Codec<Object> {
  private final ObjectMapper mapper;
  /**
   * For the declared type, generics included: written for the runtime class, a
   * {@code List<Shape>} would be a list of objects, its elements without their type ids.
   */
  private final ObjectWriter writer;
  private final JavaType type;
  /** {@code #<shape>#}: no JSON text starts with {@code #}. */
  private final byte[] label;

  ShapedJsonCodec(ObjectMapper mapper, JavaType type) {
    this.mapper = mapper;
    this.type = type;
    this.writer = mapper.writerFor(type);
    this.label = ("#" + ValueShape.of(type) + "#").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.writeBytes(label);
    writer.writeValue(out, value);
    return out.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  @Override
  public Object decode(byte[] bytes, int offset, int length) {
    if (length < label.length
        || !Arrays.equals(bytes, offset, offset + label.length, label, 0, label.length)) {
      throw new IllegalStateException("written for another shape of " + type);
    }
    return mapper.readValue(bytes, offset + label.length, length - label.length, type);
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
