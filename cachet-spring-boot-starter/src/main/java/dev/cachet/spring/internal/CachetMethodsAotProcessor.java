package dev.cachet.spring.internal;

import dev.cachet.http.Template;
import dev.cachet.spring.Cached;
import dev.cachet.spring.InvalidateCache;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * When an application is built ahead of time (for a native image), registers the reflection a
 * bean's {@code @Cached} and {@code @InvalidateCache} methods need at run time: binding hints for
 * the values Jackson encodes and decodes (return types, generic arguments included) and for the
 * arguments a default key serializes, and the accessors that templates such as
 * {@code {user.id}} call. Spring itself makes the bean's proxy class at build time and registers
 * the proxied methods. Stateless.
 */
public final class CachetMethodsAotProcessor implements BeanRegistrationAotProcessor {
  /** Deep enough for any real value type; stops a self-referencing generic type. */
  private static final int MAX_TYPE_DEPTH = 16;

  @Override
  public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
    Class<?> type = ClassUtils.getUserClass(bean.getBeanClass());
    ConfigurableListableBeanFactory factory = bean.getBeanFactory();
    Predicate<Class<?>> isBeanType = t -> factory.getBeanNamesForType(t, true, false).length > 0;
    Set<Class<?>> bound = new LinkedHashSet<>();
    Set<Method> accessors = new LinkedHashSet<>();
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      // As MethodPlans reads them: the most specific method, annotations merged up its hierarchy.
      Method specific = AopUtils.getMostSpecificMethod(method, type);
      Cached cached = AnnotatedElementUtils.findMergedAnnotation(specific, Cached.class);
      InvalidateCache invalidate = AnnotatedElementUtils.findMergedAnnotation(specific, InvalidateCache.class);
      if (cached == null && invalidate == null) {
        continue;
      }
      MethodArguments arguments = new MethodArguments(specific, type, isBeanType);
      if (cached != null) {
        collect(ResolvableType.forMethodReturnType(specific, type), bound, 0);
        if (cached.key().isEmpty()) {
          arguments.keyArgumentTypes().forEach(t -> collect(t, bound, 0));
        } else {
          addAccessors(arguments, List.of(cached.key()), accessors);
        }
        addAccessors(arguments, List.of(cached.tags()), accessors);
      }
      if (invalidate != null) {
        addAccessors(arguments, List.of(invalidate.tags()), accessors);
        addAccessors(arguments, List.of(invalidate.keys()), accessors);
        addAccessors(arguments, List.of(invalidate.patterns()), accessors);
      }
    }
    if (bound.isEmpty() && accessors.isEmpty()) {
      return null;
    }
    return (generationContext, code) -> {
      ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
      new BindingReflectionHintsRegistrar().registerReflectionHints(reflection, bound.toArray(Type[]::new));
      accessors.forEach(accessor -> reflection.registerMethod(accessor, ExecutableMode.INVOKE));
    };
  }

  /** Every class a value of {@code type} is made of: itself, its generic arguments, array components. */
  private static void collect(ResolvableType type, Set<Class<?>> into, int depth) {
    if (depth > MAX_TYPE_DEPTH) {
      return;
    }
    if (type.isArray()) {
      collect(type.getComponentType(), into, depth + 1);
      return;
    }
    Class<?> raw = type.resolve();
    if (raw != null && !raw.isPrimitive()) {
      into.add(raw);
    }
    for (ResolvableType generic : type.getGenerics()) {
      collect(generic, into, depth + 1);
    }
  }

  private static void addAccessors(MethodArguments arguments, List<String> templates, Set<Method> into) {
    for (String source : templates) {
      try {
        into.addAll(arguments.accessors(Template.of(source)));
      } catch (IllegalArgumentException e) {
        // A bad template: the application fails to start with the reason, when the bean is proxied.
      }
    }
  }
}
