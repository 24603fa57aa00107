package dev.cachet.spring.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The class that names a cached method's default keys and resolves its generic types: the same in
 * every process and across restarts, and distinct per bean.
 *
 * <p>A JDK proxy's class ({@code $Proxy48}) and a lambda's hidden class carry numbers that change
 * with creation order, so a bean behind one is named by the interface it implements that holds
 * the method: a Spring Data repository by its repository interface (so two repositories
 * inheriting {@code findById} keep their own entries), a lambda by its functional interface.
 * Otherwise it is the bean's user class (CGLIB subclasses read as the class they extend).
 * Stateless.
 */
final class KeyClasses {
  private KeyClasses() {}

  /**
   * @param proxy the proxy the call came through, if any
   * @param target the object the method runs on, if known
   */
  static Class<?> of(@Nullable Object proxy, @Nullable Object target, Method method) {
    if (proxy != null && Proxy.isProxyClass(proxy.getClass())) {
      Class<?> named = interfaceOf(proxy.getClass(), method);
      if (named != null) {
        return named;
      }
    }
    if (target == null) {
      return method.getDeclaringClass();
    }
    Class<?> user = ClassUtils.getUserClass(target.getClass());
    if (user.isHidden() || user.isSynthetic() || Proxy.isProxyClass(user)) {
      Class<?> named = interfaceOf(user, method);
      return named != null ? named : method.getDeclaringClass();
    }
    return user;
  }

  /** The first application interface of {@code type} that has {@code method}; null if none. */
  private static @Nullable Class<?> interfaceOf(Class<?> type, Method method) {
    for (Class<?> candidate : type.getInterfaces()) {
      if (method.getDeclaringClass().isAssignableFrom(candidate) && !infrastructure(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean infrastructure(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.") || name.startsWith("org.springframework.aop.")
        || name.equals("org.springframework.core.DecoratingProxy");
  }
}
