package dev.cachet.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import tools.jackson.databind.JavaType;

/**
 * A fingerprint of the shape of a cached method's value type: its classes, their fields (record
 * components, or instance fields up the class hierarchy) with their names and declared types,
 * enum constants, at every depth below the JDK's own types. A deploy that adds, removes, renames
 * or retypes a field of the value changes it, so entries written for the old shape are misses
 * rather than values with fields Jackson left null. Annotations that rename JSON properties are
 * not part of it. Stateless and thread-safe.
 */
final class ValueShape {
  private ValueShape() {}

  /** Sixteen hex digits naming the shape of {@code type}. */
  static String of(JavaType type) {
    StringBuilder out = new StringBuilder();
    describe(type, new HashSet<>(), out);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private static void describe(JavaType type, Set<Class<?>> seen, StringBuilder out) {
    if (type.isArrayType()) {
      describe(type.getContentType(), seen, out);
      out.append("[]");
      return;
    }
    describe(type.getRawClass(), seen, out);
    if (type.containedTypeCount() > 0) {
      out.append('<');
      for (int i = 0; i < type.containedTypeCount(); i++) {
        out.append(i > 0 ? "," : "");
        describe(type.containedType(i), seen, out);
      }
      out.append('>');
    }
  }

  private static void describe(Type type, Set<Class<?>> seen, StringBuilder out) {
    if (type instanceof Class<?> c) {
      describe(c, seen, out);
    } else if (type instanceof ParameterizedType p) {
      describe(p.getRawType(), seen, out);
      out.append('<');
      Type[] arguments = p.getActualTypeArguments();
      for (int i = 0; i < arguments.length; i++) {
        out.append(i > 0 ? "," : "");
        describe(arguments[i], seen, out);
      }
      out.append('>');
    } else if (type instanceof GenericArrayType a) {
      describe(a.getGenericComponentType(), seen, out);
      out.append("[]");
    } else if (type instanceof WildcardType w) {
      out.append('?');
      describe(w.getUpperBounds()[0], seen, out);
    } else if (type instanceof TypeVariable<?> v) {
      out.append(v.getName()); // bound where the type is used: described there
    } else {
      out.append(type.getTypeName());
    }
  }

  private static void describe(Class<?> c, Set<Class<?>> seen, StringBuilder out) {
    if (c.isArray()) {
      describe(c.getComponentType(), seen, out);
      out.append("[]");
      return;
    }
    out.append(c.getName());
    if (c.isPrimitive() || c.getName().startsWith("java.") || c.getName().startsWith("javax.")
        || !seen.add(c)) {
      return; // the JDK's types keep their shape; a class met before is named, not repeated
    }
    if (c.isEnum()) {
      out.append('{');
      for (Object constant : c.getEnumConstants()) {
        out.append(((Enum<?>) constant).name()).append(',');
      }
      out.append('}');
    } else if (c.isRecord()) {
      out.append('(');
      for (RecordComponent component : c.getRecordComponents()) {
        out.append(component.getName()).append(':');
        describe(component.getGenericType(), seen, out);
        out.append(',');
      }
      out.append(')');
    } else if (!c.isInterface()) {
      out.append('{');
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        Field[] fields = k.getDeclaredFields();
        Arrays.sort(fields, Comparator.comparing(Field::getName));
        for (Field f : fields) {
          int m = f.getModifiers();
          if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
            out.append(f.getName()).append(':');
            describe(f.getGenericType(), seen, out);
            out.append(',');
          }
        }
      }
      out.append('}');
    }
  }
}
