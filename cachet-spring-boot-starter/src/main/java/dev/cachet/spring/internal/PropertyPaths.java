package dev.cachet.spring.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Property paths of template placeholders ({@code user.address.city}): read from an argument at
 * each call, and checked against the parameter's declared type when the bean is proxied. Both use
 * one accessor lookup (a map entry, else a public no-argument {@code name()}, {@code getName()} or
 * {@code isName()}), so a path the check accepts is one the call can read. Stateless.
 */
final class PropertyPaths {
  private PropertyPaths() {}

  /**
   * Checks {@code path} against {@code type} as far as the types tell: a step whose declared type
   * is a map, {@code Object}, an interface or an abstract class is not checked further, since the
   * argument at a call may be any implementation.
   *
   * @return {@code null} when the path may be read, else why not
   */
  static @Nullable String problem(ResolvableType type, String path) {
    ResolvableType current = type;
    for (String segment : path.split("\\.", -1)) {
      Class<?> c = current.resolve();
      if (segment.isEmpty()) {
        return "an empty property name";
      }
      if (c == null || c == Object.class || Map.class.isAssignableFrom(c)) {
        return null;
      }
      Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(c); // calls see boxed values
      Method accessor = accessor(boxed, segment);
      if (accessor == null) {
        int modifiers = boxed.getModifiers();
        if (!Modifier.isFinal(modifiers) && (boxed.isInterface() || Modifier.isAbstract(modifiers))) {
          return null; // an implementation may have it: read at each call, as before
        }
        return boxed.getName() + " has no property '" + segment + "' (no public " + segment + "(), "
            + "get" + capitalized(segment) + "() or is" + capitalized(segment) + "()); "
            + (properties(boxed).isEmpty() ? "it has none" : "its properties: " + properties(boxed));
      }
      current = ResolvableType.forMethodParameter(new MethodParameter(accessor, -1), current);
    }
    return null;
  }

  /**
   * The accessors {@link #read} calls for {@code path} on a {@code type}, as far as declared types
   * tell (they end where {@link #problem} stops checking): what a native image must be able to call.
   */
  static List<Method> accessors(ResolvableType type, String path) {
    List<Method> accessors = new ArrayList<>();
    ResolvableType current = type;
    for (String segment : path.split("\\.")) {
      Class<?> c = current.resolve();
      if (segment.isEmpty() || c == null || c == Object.class || Map.class.isAssignableFrom(c)) {
        break;
      }
      Method accessor = accessor(ClassUtils.resolvePrimitiveIfNecessary(c), segment);
      if (accessor == null) {
        break;
      }
      accessors.add(accessor);
      current = ResolvableType.forMethodParameter(new MethodParameter(accessor, -1), current);
    }
    return accessors;
  }

  /** The value of {@code path} in {@code target}; {@code null} past a {@code null}. */
  static @Nullable Object read(@Nullable Object target, String path) {
    Object current = target;
    for (String segment : path.split("\\.")) {
      if (current == null) {
        return null;
      }
      current = segment(current, segment);
    }
    return current;
  }

  private static @Nullable Object segment(Object target, String name) {
    if (target instanceof Map<?, ?> map) {
      return map.get(name);
    }
    Method m = accessor(target.getClass(), name);
    if (m == null) {
      throw new IllegalArgumentException("no property '" + name + "' on " + target.getClass().getName());
    }
    try {
      m.setAccessible(true); // a public accessor of a non-public class (a package-private record)
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read property '" + name + "' of " + target.getClass().getName(), e);
    }
  }

  private static @Nullable Method accessor(Class<?> type, String name) {
    String cap = capitalized(name);
    for (String candidate : List.of(name, "get" + cap, "is" + cap)) {
      try {
        Method m = type.getMethod(candidate);
        if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() != void.class) {
          return m;
        }
      } catch (NoSuchMethodException e) {
        // try the next accessor form
      }
    }
    return null;
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** Names the accessors of {@code type} for a message: record components, else getters. */
  private static Set<String> properties(Class<?> type) {
    Set<String> names = new TreeSet<>();
    if (type.isRecord()) {
      for (var component : type.getRecordComponents()) {
        names.add(component.getName());
      }
      return names;
    }
    for (Method m : type.getMethods()) {
      String n = m.getName();
      int prefix = n.startsWith("get") ? 3 : n.startsWith("is") ? 2 : 0;
      if (prefix > 0 && n.length() > prefix && m.getParameterCount() == 0 && m.getReturnType() != void.class
          && m.getDeclaringClass() != Object.class) {
        names.add(Character.toLowerCase(n.charAt(prefix)) + n.substring(prefix + 1));
      }
    }
    return names;
  }
}
