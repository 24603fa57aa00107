package dev.cachet.spring.internal;

import dev.cachet.Codec;
import dev.cachet.internal.RateLimitedLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;

/**
 * JSON of a cached method's value, written and read as its declared type, behind a label naming the value type's {@link ValueShape}:
 * bytes written for another shape (an older deploy's record), or without the label, fail to
 * decode, which Cachet reads as a counted miss, never as a value Jackson filled in half. A value
 * Jackson cannot write, or an entry of this shape it cannot read, is not cached either (counted
 * by Cachet), and logged as a warning naming the method, at most once a minute; so is a value of
 * a subclass of the concrete declared type that its JSON would not name (no {@code @JsonTypeInfo}),
 * which a hit would return as the declared class. Thread-safe.
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
  private final String description;
  private final RateLimitedLog warnings;
  private final boolean subclassable;

  /**
   * @param description the method, as {@code UserService.find}, for warnings
   * @param warnings the method's rate-limited warnings
   */
  ShapedJsonCodec(ObjectMapper mapper, JavaType type, String description, RateLimitedLog warnings) {
    this.mapper = mapper;
    this.description = description;
    this.warnings = warnings;
    this.type = type;
    this.writer = mapper.writerFor(type);
    this.subclassable = subclassable(type.getRawClass());
    this.label = ("#" + ValueShape.of(type) + "#").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public byte[] encode(Object value) {
    Class<?> declared = type.getRawClass();
    if (subclassable && value.getClass() != declared) {
      // JSON of the declared class: a hit would return that class, without the subclass's fields.
      IllegalArgumentException e = new IllegalArgumentException(value.getClass().getName() + " is a subclass of "
          + declared.getName() + ", which has no @JsonTypeInfo to tell it apart in JSON");
      warnings.warn("@Cached " + description + " is not cached: it returned a subclass of its declared type", e);
      throw e;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.writeBytes(label);
    try {
      writer.writeValue(out, value);
    } catch (RuntimeException e) {
      warnings.warn("@Cached " + description + " is not cached: its value cannot be written as JSON of " + type, e);
      throw e;
    }
    return out.toByteArray();
  }

  /** Whether a value declared as {@code type} may be of a subclass that its JSON would not name. */
  private static boolean subclassable(Class<?> type) {
    return !type.isPrimitive() && !type.isEnum() && !type.isArray() && !type.isInterface()
        && !java.lang.reflect.Modifier.isAbstract(type.getModifiers()) && !type.getName().startsWith("java.")
        && !ValueTypes.typeInfo(type);
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
    try {
      return mapper.readValue(bytes, offset + label.length, length - label.length, type);
    } catch (RuntimeException e) {
      warnings.warn("@Cached " + description + " is not cached: its entry cannot be read back as " + type, e);
      throw e;
    }
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
