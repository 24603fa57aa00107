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
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
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
  private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

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

  Plan plan(Method method, @Nullable Class<?> targetClass) {
    Plan plan = plans.get(method);
    if (plan == null) {
      // Not computeIfAbsent: building may create other beans, whose methods are matched too.
      plan = build(method, targetClass);
      Plan raced = plans.putIfAbsent(method, plan);
      plan = raced != null ? raced : plan;
    }
    return plan;
  }

  private Plan build(Method method, @Nullable Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    Cached cached = AnnotatedElementUtils.findMergedAnnotation(specific, Cached.class);
    InvalidateCache invalidate = AnnotatedElementUtils.findMergedAnnotation(specific, InvalidateCache.class);
    if (cached == null && invalidate == null) {
      return NONE;
    }
    Class<?> owner = targetClass != null ? targetClass : specific.getDeclaringClass();
    boolean controller = AnnotatedElementUtils.hasAnnotation(owner, Controller.class);
    return new Plan(
        cached == null ? null : new CachedMethod(specific, cached, defaultTtl.get(), valueMapper.get(), keyMapper, isBeanType),
        invalidate == null ? null : new InvalidatingMethod(specific, invalidate, isBeanType),
        controller);
  }
}
