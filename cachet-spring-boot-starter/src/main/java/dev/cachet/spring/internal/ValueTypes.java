package dev.cachet.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.ser.bean.BeanSerializerBase;

/**
 * The start-up check of a {@code @Cached} method's value type: fails unless its JSON can be read
 * back as what the method returned. Stateless and thread-safe.
 */
final class ValueTypes {
  private ValueTypes() {}

  /**
   * Fails unless JSON of {@code type} can be read back as what the method returned, anywhere in
   * the type (its generics, array components, and the properties {@code mapper} writes of each
   * application class in it, record components or fields, at every depth): not {@code Object}
   * (nor a raw or unresolved type variable) as the value itself or as a property, which Jackson
   * reads as maps and lists (inside a JDK container, as in {@code Map<String, Object>}, that is
   * taken to be meant); no application interface or abstract class without
   * {@code @JsonTypeInfo}, which it cannot instantiate; no map whose keys are not text, a
   * primitive, a number, an enum, a UUID, a locale, a currency, a URI or a {@code java.time}
   * value, which it writes as their {@code toString} and cannot parse back; and none of the JDK's
   * types that are not data: streams, iterators, spliterators, an {@code Iterable} that is not a
   * collection, a {@code Future} that is not a {@code CompletionStage}, anything of
   * {@code java.util.function}, and the abstract types of {@code java.lang}, {@code java.io} and
   * {@code java.time} ({@code Number}, {@code CharSequence}), which JSON reads back as another
   * class. Collections, maps and the JDK's other types are read as Jackson does.
   *
   * @param where the start of a message, naming the method
   * @param mapper the mapper the values are written with: its properties are the ones checked
   * @throws IllegalStateException naming the method, the type and where in the value it is
   */
  static void check(ResolvableType type, String where, ObjectMapper mapper) {
    new Walk(where, mapper).walk(type, 0, "", false);
  }

  /** One check's state: the application classes whose properties were walked. */
  private static final class Walk {
    private final String where;
    private final ObjectMapper mapper;
    private final Set<Class<?>> seen = new HashSet<>();

    Walk(String where, ObjectMapper mapper) {
      this.where = where;
      this.mapper = mapper;
    }

    /**
     * @param path where {@code type} is in the value, as in {@code " (at Order.lines)"}
     * @param inContainer whether {@code type} is a type argument of a JDK container
     */
    void walk(ResolvableType type, int depth, String path, boolean inContainer) {
      if (depth > 32) {
        return;
      }
      if (type.isArray()) {
        walk(type.getComponentType(), depth + 1, path, inContainer);
        return;
      }
      Class<?> raw = type.resolve();
      if (raw == null || raw == Object.class) {
        if (inContainer) {
          return;
        }
        throw new IllegalStateException(where + "the value type " + type + path + " would be read back as"
            + " JSON maps and lists, not as what the method returns: declare a concrete type");
      }
      String notData = notData(raw);
      if (notData != null) {
        throw new IllegalStateException(where + "the value type " + type + path + " is or holds " + raw.getName()
            + ", " + notData + ": return the data itself (a List, a record, ...)");
      }
      boolean application = !raw.isPrimitive() && !raw.getName().startsWith("java.");
      boolean abstractType = raw.isInterface() || Modifier.isAbstract(raw.getModifiers());
      if (abstractType && application && !typeInfo(raw)) {
        throw new IllegalStateException(where + "JSON cannot be read back as " + raw.getName() + path
            + ", an abstract type: return a concrete type, or annotate " + raw.getSimpleName()
            + " with @JsonTypeInfo (and its subtypes)");
      }
      if (Map.class.isAssignableFrom(raw) && type.hasGenerics()) {
        Class<?> key = type.asMap().getGeneric(0).resolve();
        if (key != null && !textKey(key)) {
          throw new IllegalStateException(where + "the keys of " + type + path + " are written as their"
              + " toString and cannot be read back as " + key.getName() + ": key the map by text, a number,"
              + " an enum or a UUID, or return a list of entries");
        }
      }
      for (ResolvableType generic : type.getGenerics()) {
        walk(generic, depth + 1, path, !application);
      }
      if (application && !abstractType && !raw.isEnum() && seen.add(raw)) {
        properties(type, raw, depth, path);
      }
    }

    /** Walks the properties {@code mapper} writes of {@code raw}, when it writes it as a bean. */
    private void properties(ResolvableType type, Class<?> raw, int depth, String path) {
      SerializationContext context = mapper._serializationContext();
      JavaType javaType = mapper.constructType(raw);
      try {
        if (!(context.findValueSerializer(javaType) instanceof BeanSerializerBase)) {
          return; // its own serializer (@JsonValue, a module's): not read as properties
        }
      } catch (RuntimeException e) {
        return; // not serializable as declared: the call's encoding says so (logged)
      }
      for (BeanPropertyDefinition property : context.introspectBeanDescription(javaType).findProperties()) {
        AnnotatedMember accessor = property.couldSerialize() ? property.getAccessor() : null;
        ResolvableType propertyType = accessor == null ? null : typeOf(accessor.getMember(), type);
        if (propertyType != null) {
          walk(propertyType, depth + 1, " (at " + raw.getSimpleName() + "." + property.getName() + ")", false);
        }
      }
    }
  }

  private static @Nullable ResolvableType typeOf(Member member, ResolvableType owner) {
    if (member instanceof Field f) {
      return ResolvableType.forField(f, owner);
    }
    if (member instanceof Method m) {
      return ResolvableType.forMethodParameter(new MethodParameter(m, -1), owner);
    }
    return null;
  }

  /** Whether Jackson reads a map key of {@code type} back from the text it writes. */
  private static boolean textKey(Class<?> type) {
    return type == String.class || ClassUtils.isPrimitiveOrWrapper(type) || type.isEnum()
        || type == java.math.BigDecimal.class || type == java.math.BigInteger.class
        || type == java.util.UUID.class || type == java.util.Locale.class || type == java.util.Currency.class
        || type == java.net.URI.class || (type.getName().startsWith("java.time.") && !type.isInterface());
  }

  /** Why a JDK type cannot be cached as JSON, or {@code null} when it can. */
  private static @Nullable String notData(Class<?> raw) {
    if (BaseStream.class.isAssignableFrom(raw) || Iterator.class.isAssignableFrom(raw)
        || Spliterator.class.isAssignableFrom(raw)) {
      return "which is consumed once, not data JSON can hold";
    }
    if (Iterable.class.isAssignableFrom(raw) && !Collection.class.isAssignableFrom(raw)
        && !java.nio.file.Path.class.isAssignableFrom(raw)) {
      return "an Iterable that is not a collection, which JSON cannot read back";
    }
    if ((Future.class.isAssignableFrom(raw) && !CompletionStage.class.isAssignableFrom(raw))
        || Callable.class.isAssignableFrom(raw) || raw.getName().startsWith("java.util.function.")) {
      return "a computation, not data JSON can hold";
    }
    String pkg = raw.getPackageName();
    boolean abstractType = raw.isInterface() || Modifier.isAbstract(raw.getModifiers());
    if (abstractType && !raw.isPrimitive() && !raw.isArray()
        && (pkg.equals("java.lang") || pkg.equals("java.io") || pkg.startsWith("java.time"))) {
      return "an abstract type JSON reads back as another class (a Number as a Double,"
          + " a CharSequence as a String)";
    }
    return null;
  }

  /** Whether {@code type} or a supertype carries Jackson's polymorphic type information. */
  static boolean typeInfo(Class<?> type) {
    return AnnotatedElementUtils.hasAnnotation(type, com.fasterxml.jackson.annotation.JsonTypeInfo.class);
  }
}
