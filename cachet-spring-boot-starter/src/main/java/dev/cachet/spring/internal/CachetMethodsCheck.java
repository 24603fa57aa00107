package dev.cachet.spring.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Checks every bean's {@code @Cached} and {@code @InvalidateCache} methods as the bean is created
 * ({@link MethodPlans#check}), so that a method its proxy cannot intercept, or two methods whose
 * keys collide, fail the application's start. The proxy alone would never be asked about a
 * {@code final}, {@code private} or {@code static} method. Thread-safe.
 */
public final class CachetMethodsCheck implements BeanPostProcessor {
  private final ObjectProvider<CachetMethodAdvisor> advisor;
  private volatile @Nullable MethodPlans plans;

  public CachetMethodsCheck(ObjectProvider<CachetMethodAdvisor> advisor) {
    this.advisor = advisor;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    MethodPlans p = plans;
    if (p == null) {
      CachetMethodAdvisor found = advisor.getIfUnique();
      if (found == null) {
        return bean; // no advisor (yet): nothing is intercepted
      }
      p = found.plans();
      plans = p;
    }
    p.check(AopUtils.getTargetClass(bean));
    return bean;
  }
}
