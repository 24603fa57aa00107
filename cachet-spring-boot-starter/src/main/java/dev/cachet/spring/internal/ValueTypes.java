package dev.cachet.spring.internal;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The start-up check of a {@code @Cached} method's value type: fails unless its JSON can be read
 * back as what the method returned. Stateless and thread-safe.
 */
final class ValueTypes {
  private ValueTypes() {}

  /**
   * Fails unless JSON of {@code type} can be read back as what the method returned, anywhere in
   * the type: not {@code Object} (nor a raw or unresolved type variable) as the value itself,
   * which Jackson reads as maps and lists (inside a JDK container, as in
   * {@code Map<String, Object>}, that is taken to be meant); no application interface or abstract
   * class without {@code @JsonTypeInfo}, which it cannot instantiate; and none of the JDK's types
   * that are not data: streams, iterators, spliterators, an {@code Iterable} that is not a
   * collection, a {@code Future} that is not a {@code CompletionStage}, anything of
   * {@code java.util.function}, and the abstract types of {@code java.lang}, {@code java.io} and
   * {@code java.time} ({@code Number}, {@code CharSequence}), which JSON reads back as another
   * class. Collections, maps and the JDK's other types are read as Jackson does.
   *
   * @param where the start of a message, naming the method
   * @throws IllegalStateException naming the method and the type
   */
  static void check(ResolvableType type, String where) {
    walk(type, 0, where);
  }

  private static void walk(ResolvableType type, int depth, String where) {
    if (depth > 16) {
      return;
    }
    if (type.isArray()) {
      walk(type.getComponentType(), depth + 1, where);
      return;
    }
    Class<?> raw = type.resolve();
    if (raw == null || raw == Object.class) {
      if (depth > 0) {
        return;
      }
      throw new IllegalStateException(where + "the value type " + type + " would be read back as"
          + " JSON maps and lists, not as what the method returns: declare a concrete type");
    }
    String notData = notData(raw);
    if (notData != null) {
      throw new IllegalStateException(where + "the value type " + type + " is or holds " + raw.getName() + ", "
          + notData + ": return the data itself (a List, a record, ...)");
    }
    boolean abstractType = raw.isInterface() || Modifier.isAbstract(raw.getModifiers());
    if (abstractType && !raw.isPrimitive() && !raw.getName().startsWith("java.") && !typeInfo(raw)) {
      throw new IllegalStateException(where + "JSON cannot be read back as " + raw.getName()
          + ", an abstract type: return a concrete type, or annotate " + raw.getSimpleName()
          + " with @JsonTypeInfo (and its subtypes)");
    }
    for (ResolvableType generic : type.getGenerics()) {
      walk(generic, depth + 1, where);
    }
  }

  /** Why a JDK type cannot be cached as JSON, or {@code null} when it can. */
  private static String notData(Class<?> raw) {
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
