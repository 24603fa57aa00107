package dev.cachet.spring.internal;

import dev.cachet.spring.Cached;
import dev.cachet.spring.InvalidateCache;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.ObjectMapper;

/**
 * The caching plan of each annotated method, built (and checked) once, when beans are proxied, so
 * that a bad template fails the application's start rather than a request. Thread-safe.
 */
public final class MethodPlans {
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
    boolean controller = AnnotatedElementUtils.hasAnnotation(target, Controller.class);
    return new Plan(
        cached == null ? null
            : new CachedMethod(specific, target, cached, defaultTtl.get(), valueMapper.get(), keyMapper, isBeanType),
        invalidate == null ? null : new InvalidatingMethod(specific, target, invalidate, keyMapper, isBeanType),
        controller);
  }
}
