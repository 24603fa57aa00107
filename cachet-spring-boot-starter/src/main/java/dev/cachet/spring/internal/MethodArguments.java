package dev.cachet.spring.internal;

import dev.cachet.http.Template;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.ObjectMapper;

/**
 * The arguments of one method as template values and key parts: by parameter name, by position
 * ({@code p0}, {@code a0}), or a property of one ({@code user.id}: record component, getter or map
 * entry; see {@link PropertyPaths}). Injected parameters (the framework's requests, responses,
 * sessions, models, streams) are never values. A parameter of a type the application context has
 * a bean of is a value too (nothing injects into a bean method called from code), but its JSON is
 * not trusted to identify it: a default key refuses it, a template may name it. Immutable and
 * thread-safe.
 */
final class MethodArguments {
  private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
  private static final List<String> INJECTED_TYPE_NAMES =
      List.of(
          "jakarta.servlet.ServletRequest", "jakarta.servlet.ServletResponse",
          "jakarta.servlet.http.HttpSession", "org.springframework.web.context.request.WebRequest",
          "org.springframework.ui.Model", "org.springframework.validation.Errors",
          "org.springframework.http.server.ServerHttpRequest", "java.io.InputStream",
          "java.io.OutputStream", "java.io.Reader", "java.io.Writer",
          "org.springframework.web.servlet.mvc.support.RedirectAttributes");
  /** Stands for a {@code null} argument: escaped when rendered, so it differs from "null". */
  static final String NULL_VALUE = "\u0000";

  private final String description;
  private final String keyPrefix;
  private final String[] names;
  private final boolean[] injected;
  /** Parameters of a type the application context has a bean of (a {@code Tenant}, {@code Region}). */
  private final boolean[] beanTyped;
  private final ResolvableType[] types;

  /**
   * @param method the method as the target class has it (its most specific form)
   * @param targetClass the user class of the bean the method is called on, which may inherit it
   */
  MethodArguments(Method method, Class<?> targetClass, Predicate<Class<?>> isBeanType) {
    this.description = targetClass.getSimpleName() + "." + method.getName();
    Class<?>[] types = method.getParameterTypes();
    // The target class, not the declaring one: a method inherited by two beans gets two keys.
    // Parameter types tell overloads apart whose arguments print alike (find(int)/find(long)).
    StringJoiner prefix = new StringJoiner(",", targetClass.getName() + "." + method.getName() + "(", ")");
    for (Class<?> type : types) {
      prefix.add(type.getTypeName());
    }
    this.keyPrefix = prefix.toString();
    String[] discovered = NAMES.getParameterNames(method);
    this.names = discovered != null ? discovered : new String[types.length];
    this.injected = new boolean[types.length];
    this.beanTyped = new boolean[types.length];
    this.types = new ResolvableType[types.length];
    for (int i = 0; i < types.length; i++) {
      injected[i] = isInjected(types[i]);
      beanTyped[i] = !injected[i] && isBeanTyped(types[i], isBeanType);
      this.types[i] = ResolvableType.forMethodParameter(method, i, targetClass);
    }
  }

  private static boolean isInjected(Class<?> type) {
    for (String name : INJECTED_TYPE_NAMES) {
      if (isAssignableTo(type, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBeanTyped(Class<?> type, Predicate<Class<?>> isBeanType) {
    boolean valueLike = type.isPrimitive() || type.isEnum() || type.isArray() || type.isRecord()
        || type.getName().startsWith("java.") || Principal.class.isAssignableFrom(type);
    return !valueLike && isBeanType.test(type);
  }

  /**
   * The parameters a default key may not take, as {@code "tenant (p0), a Tenant"}: each of a type
   * the application context has a bean of, whose JSON may leave out what tells two apart.
   */
  List<String> beanTypedParameters() {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      if (beanTyped[i]) {
        list.add((names[i] == null ? "p" + i : names[i] + " (p" + i + ")") + ", a " + types[i].toClass().getSimpleName());
      }
    }
    return list;
  }

  private static boolean isAssignableTo(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return true;
      }
      for (Class<?> i : c.getInterfaces()) {
        if (isAssignableTo(i, name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A name like {@code "UserService.find"} for messages. */
  String description() {
    return description;
  }

  /**
   * What a default key starts with: the target class's fully qualified name, the method's name and
   * its parameter types, as in {@code com.example.UserService.find(long,java.lang.String)}.
   */
  String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Checks that every placeholder of {@code template} names a non-injected parameter (one of a
   * bean's type may be named: the template says it is data), and a
   * property of it that its declared type has (as far as {@link PropertyPaths#problem} can tell).
   *
   * @throws IllegalStateException otherwise, saying which names exist
   */
  void check(Template template, String where) {
    for (String variable : template.variables()) {
      int index = indexOf(root(variable));
      if (index < 0) {
        throw new IllegalStateException(
            where + " on " + description + " uses '{" + variable + "}', but the method has no such"
                + " parameter; parameters: " + available()
                + " (compile with -parameters to use names, or use p0, p1, ...)");
      }
      if (injected[index]) {
        throw new IllegalStateException(
            where + " on " + description + " uses '{" + variable + "}', an injected parameter;"
                + " only value parameters may be part of a key");
      }
      int dot = variable.indexOf('.');
      String problem = dot < 0 ? null : PropertyPaths.problem(types[index], variable.substring(dot + 1));
      if (problem != null) {
        throw new IllegalStateException(
            where + " on " + description + " uses '{" + variable + "}', but " + problem);
      }
    }
  }

  private List<String> available() {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (!injected[i]) {
        list.add(names[i] == null ? "p" + i : names[i] + " (p" + i + ")");
      }
    }
    return list;
  }

  private static String root(String variable) {
    int dot = variable.indexOf('.');
    return dot < 0 ? variable : variable.substring(0, dot);
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (name.equals(names[i])) {
        return i;
      }
    }
    if (name.length() > 1 && (name.charAt(0) == 'p' || name.charAt(0) == 'a')) {
      try {
        int i = Integer.parseInt(name.substring(1));
        return i >= 0 && i < names.length ? i : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** The declared types of the parameters that may be part of a default key. */
  List<ResolvableType> keyArgumentTypes() {
    List<ResolvableType> list = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      if (!injected[i]) {
        list.add(types[i]);
      }
    }
    return list;
  }

  /** Calls {@code action} with the declared type and name ({@code filter (p0)}) of each default-key parameter. */
  void forEachKeyParameter(java.util.function.BiConsumer<ResolvableType, String> action) {
    for (int i = 0; i < types.length; i++) {
      if (!injected[i]) {
        action.accept(types[i], names[i] == null ? "p" + i : names[i] + " (p" + i + ")");
      }
    }
  }

  /** The accessors that rendering {@code template} calls on arguments, as far as declared types tell. */
  List<Method> accessors(Template template) {
    List<Method> list = new ArrayList<>();
    for (String variable : template.variables()) {
      int index = indexOf(root(variable));
      int dot = variable.indexOf('.');
      if (index >= 0 && dot >= 0) {
        list.addAll(PropertyPaths.accessors(types[index], variable.substring(dot + 1)));
      }
    }
    return list;
  }

  /**
   * Renders {@code template} with {@code args}; the template was {@link #check checked}. Text,
   * numbers, booleans, characters, enums (by name), UUIDs and {@code java.time} values go in as
   * their text; any other value (a list, an array, a map, a record) as its JSON by
   * {@code keyMapper}, since its {@code toString} may print two values alike ({@code [a, b]} for
   * {@code ["a", "b"]} and {@code ["a, b"]}) or differently for equal ones (an array's identity).
   */
  String render(Template template, @Nullable Object[] args, ObjectMapper keyMapper) {
    Map<String, String> values = new HashMap<>();
    for (String variable : template.variables()) {
      Object value = args[indexOf(root(variable))];
      int dot = variable.indexOf('.');
      if (dot >= 0) {
        value = PropertyPaths.read(value, variable.substring(dot + 1));
      }
      values.put(variable, value == null ? NULL_VALUE : asText(value, keyMapper));
    }
    return template.render(values);
  }

  private static String asText(Object value, ObjectMapper keyMapper) {
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    boolean plain = value instanceof CharSequence || value instanceof Number || value instanceof Boolean
        || value instanceof Character || value instanceof java.util.UUID
        || value.getClass().getName().startsWith("java.time.");
    return plain ? value.toString() : keyMapper.writeValueAsString(value);
  }

  /** The arguments that may be part of a default key. */
  List<@Nullable Object> keyArguments(@Nullable Object[] args) {
    List<@Nullable Object> list = new ArrayList<>(args.length);
    for (int i = 0; i < args.length; i++) {
      if (!injected[i]) {
        list.add(args[i] instanceof Principal p ? "principal:" + p.getName() : args[i]);
      }
    }
    return list;
  }
}
