package dev.cachet.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.Principal;
import java.util.HashSet;
import java.util.Set;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.impl.UnknownSerializer;

/**
 * The start-up check of a {@code @Cached} default key's arguments: a default key is the JSON of
 * the arguments, so an argument's state that its JSON leaves out (a field without a getter, one
 * marked {@code @JsonIgnore}) would let two different arguments share an entry. Stateless and
 * thread-safe.
 */
final class DefaultKeyCheck {
  private DefaultKeyCheck() {}

  /**
   * Fails when the declared type of a default-key parameter, a concrete application class that
   * {@code keyMapper} writes as a bean, has an instance field (not {@code static}, not
   * {@code transient}) that no property it writes holds, or writes no property at all.
   *
   * @param where the start of a message, naming the method
   * @param name the parameter, as {@code filter (p0)}
   * @throws IllegalStateException naming the field and asking for a key template
   */
  static void check(ResolvableType parameter, String name, ObjectMapper keyMapper, String where) {
    Class<?> raw = parameter.resolve();
    if (raw == null || raw.isPrimitive() || raw.isArray() || raw.isEnum() || raw.isInterface()
        || Modifier.isAbstract(raw.getModifiers()) || raw.getName().startsWith("java.")
        || Principal.class.isAssignableFrom(raw)) {
      return; // the JDK's types are written whole; an abstract type's fields are its subclasses'
    }
    SerializationContext context = keyMapper._serializationContext();
    JavaType type = keyMapper.constructType(raw);
    Object serializer;
    try {
      serializer = context.findValueSerializer(type);
    } catch (RuntimeException e) {
      return; // not serializable as declared: each call says so, and runs uncached
    }
    boolean empty = serializer instanceof UnknownSerializer; // what Jackson writes as {}, if anything
    if (!empty && !(serializer instanceof BeanSerializerBase)) {
      return; // its own serializer (@JsonValue, a module's) decides what it is
    }
    Set<String> written = new HashSet<>();
    for (BeanPropertyDefinition property : empty ? java.util.List.<BeanPropertyDefinition>of()
        : context.introspectBeanDescription(type).findProperties()) {
      if (property.couldSerialize()) {
        written.add(property.getInternalName());
        if (property.hasField()) {
          written.add(property.getField().getName());
        }
      }
    }
    String advice = ": two arguments that differ only there would share an entry; declare a key template"
        + " naming what identifies the argument (@Cached(key = ...))";
    if (written.isEmpty()) {
      throw new IllegalStateException(where + "the default key is the JSON of the arguments, and "
          + raw.getSimpleName() + " " + name + " has no JSON properties" + advice);
    }
    for (Class<?> c = raw; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic() && !written.contains(f.getName())) {
          throw new IllegalStateException(where + "the default key is the JSON of the arguments, and the JSON of "
              + raw.getSimpleName() + " " + name + " leaves out its field " + f.getName()
              + " (no getter, or ignored)" + advice);
        }
      }
    }
  }
}
