package dev.cachet.spring.internal;

import dev.cachet.spring.Cached;
import dev.cachet.spring.InvalidateCache;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.ObjectMapper;

/**
 * The caching plan of each annotated method, built (and checked) once, when beans are proxied, so
 * that a bad template fails the application's start rather than a request. Also fails the start
 * for an annotated method the proxy cannot intercept ({@code final}, {@code private},
 * {@code static}), and for two {@code @Cached} key templates that render the same keys for values
 * of different types (the same type is logged: two methods may mean to read one cache).
 * Thread-safe.
 */
public final class MethodPlans {
  private static final Logger LOG = System.getLogger(MethodPlans.class.getName());
  private static final Set<Class<? extends java.lang.annotation.Annotation>> ANNOTATIONS =
      Set.of(Cached.class, InvalidateCache.class);

  /** What to do around one method; either part may be absent. */
  record Plan(@Nullable CachedMethod cached, @Nullable InvalidatingMethod invalidating, boolean controller) {
    boolean any() {
      return cached != null || invalidating != null;
    }
  }

  private static final Plan NONE = new Plan(null, null, false);

  private final Supplier<Duration> defaultTtl;
  private final Supplier<? extends ObjectMapper> valueMapper;
  private final ObjectMapper keyMapper;
  private final Predicate<Class<?>> isBeanType;
  /** By method and target class: one inherited method means something else in each subclass. */
  private final Map<MethodClassKey, Plan> plans = new ConcurrentHashMap<>();
  /** Bean classes whose every annotated method has a plan. */
  private final Set<Class<?>> checkedClasses = ConcurrentHashMap.newKeySet();
  /** The {@code @Cached} methods with each key template, placeholders normalised, first seen first. */
  private final Map<String, List<KeyOwner>> keyOwners = new HashMap<>();

  /** A {@code @Cached} method with a key template. */
  private record KeyOwner(MethodClassKey method, String description, String template, CachedMethod cached) {}

  public MethodPlans(
      Supplier<Duration> defaultTtl, Supplier<? extends ObjectMapper> valueMapper, ObjectMapper keyMapper,
      Predicate<Class<?>> isBeanType) {
    this.defaultTtl = defaultTtl;
    this.valueMapper = valueMapper;
    this.keyMapper = keyMapper;
    this.isBeanType = isBeanType;
  }

  /** Whether {@code method} of {@code targetClass} is annotated; builds and checks its plan. */
  public boolean matches(Method method, @Nullable Class<?> targetClass) {
    return plan(method, targetClass).any();
  }

  /**
   * Builds and checks the plan of every annotated method of {@code beanClass} (a proxy class is
   * read as the class it proxies), once per class: the proxy itself is asked about a method only
   * when it can intercept it, and not again when its class was made before.
   *
   * @throws IllegalStateException naming the method, when an annotation cannot work there
   */
  public void check(Class<?> beanClass) {
    Class<?> type = ClassUtils.getUserClass(beanClass);
    if (checkedClasses.contains(type) || !AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
      return;
    }
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      plan(method, type);
    }
    checkedClasses.add(type);
  }

  /**
   * The plan of {@code method} called on an instance of {@code targetClass} (a proxy class is read
   * as the class it proxies, so matching and calls agree).
   */
  Plan plan(Method method, @Nullable Class<?> targetClass) {
    Class<?> target = targetClass != null ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
    MethodClassKey id = new MethodClassKey(method, target);
    Plan plan = plans.get(id);
    if (plan == null) {
      // Not computeIfAbsent: building may create other beans, whose methods are matched too.
      plan = build(method, target);
      Plan raced = plans.putIfAbsent(id, plan);
      plan = raced != null ? raced : plan;
    }
    return plan;
  }

  private Plan build(Method method, Class<?> target) {
    Method specific = AopUtils.getMostSpecificMethod(method, target);
    Cached cached = AnnotatedElementUtils.findMergedAnnotation(specific, Cached.class);
    InvalidateCache invalidate = AnnotatedElementUtils.findMergedAnnotation(specific, InvalidateCache.class);
    if (cached == null && invalidate == null) {
      return NONE;
    }
    interceptable(specific, target, cached != null ? "@Cached" : "@InvalidateCache");
    boolean controller = AnnotatedElementUtils.hasAnnotation(target, Controller.class);
    Plan plan = new Plan(
        cached == null ? null
            : new CachedMethod(specific, target, cached, defaultTtl.get(), valueMapper.get(), keyMapper, isBeanType),
        invalidate == null ? null : new InvalidatingMethod(specific, target, invalidate, keyMapper, isBeanType),
        controller);
    if (plan.cached() != null) {
      claimKeys(new MethodClassKey(specific, target), plan.cached());
    }
    return plan;
  }

  /**
   * Fails unless the bean's proxy can intercept {@code method}: Spring's proxy is a subclass of the
   * bean's class whose overrides call the bean, so a {@code final} method would run on the proxy
   * itself (uncached, without the bean's fields), and a {@code private} or {@code static} one is
   * never called through the proxy. A bean that is a JDK proxy or a lambda is proxied through its
   * interfaces instead, whose methods its own implement.
   */
  private static void interceptable(Method method, Class<?> target, String annotation) {
    if (Proxy.isProxyClass(target) || ClassUtils.isLambdaClass(target)) {
      return;
    }
    int modifiers = method.getModifiers();
    String why;
    if (Modifier.isStatic(modifiers)) {
      why = "a static method is not called on the bean, so its proxy cannot intercept it; make it an instance method";
    } else if (Modifier.isPrivate(modifiers)) {
      why = "a private method is never called through the bean's proxy, so it would run unintercepted; make it public";
    } else if (Modifier.isFinal(modifiers)) {
      why = "the bean's proxy cannot override a final method, so calls would run on the proxy itself,"
          + " unintercepted and without the bean's fields; remove 'final'";
    } else {
      return;
    }
    throw new IllegalStateException(annotation + " on " + target.getSimpleName() + "." + method.getName() + ": " + why);
  }

  /**
   * Records the keys {@code cached} renders, by its template with every placeholder alike
   * ({@code user:{id}} and {@code user:{userId}} render the same keys); fails when another
   * method's template renders the same keys for values of another type, which would overwrite
   * each other, and warns when it is the same type.
   */
  private void claimKeys(MethodClassKey method, CachedMethod cached) {
    String template = cached.keySource();
    if (template == null) {
      return; // a default key names the class and method: never another method's
    }
    String normalised = template.replaceAll("\\{[^{}]*}", "{}");
    KeyOwner mine = new KeyOwner(method, cached.description(), template, cached);
    KeyOwner first;
    synchronized (keyOwners) {
      List<KeyOwner> owners = keyOwners.computeIfAbsent(normalised, k -> new ArrayList<>());
      for (KeyOwner owner : owners) {
        if (owner.method().equals(method)) {
          return; // planned before, under another form of the method (an interface's)
        }
      }
      first = owners.isEmpty() ? null : owners.get(0);
      owners.add(mine);
    }
    if (first == null) {
      return;
    }
    String both = "@Cached key '" + first.template() + "' on " + first.description() + " and '" + template + "' on "
        + mine.description() + " render the same cache keys";
    if (!first.cached().valueType.equals(cached.valueType)) {
      throw new IllegalStateException(both + " for values of different types (" + first.cached().valueType.toCanonical()
          + ", " + cached.valueType.toCanonical() + "): each would overwrite the other's entries, which the other"
          + " then reads as corrupt; give them different keys, e.g. different prefixes");
    }
    LOG.log(Level.WARNING, both + ": each returns what the other cached; if that is not meant, give them different keys");
  }
}
