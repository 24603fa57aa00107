package dev.cachet.spring.internal;

import dev.cachet.Cachet;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Puts {@link CachetMethodInterceptor} around methods annotated with Cachet's annotations, at order
 * {@code Ordered.LOWEST_PRECEDENCE - 1}.
 */
public final class CachetMethodAdvisor extends AbstractPointcutAdvisor {
  private static final long serialVersionUID = 1L;

  private final transient Pointcut pointcut;
  private final transient Advice advice;
  private final transient MethodPlans plans;

  public CachetMethodAdvisor(Supplier<Cachet> cachet, MethodPlans plans, Supplier<@Nullable InvalidationSink> sink) {
    this.pointcut = new StaticMethodMatcherPointcut() {
      @Override
      public boolean matches(Method method, Class<?> targetClass) {
        return plans.matches(method, targetClass);
      }
    };
    this.advice = new CachetMethodInterceptor(cachet, plans, sink);
    this.plans = plans;
    // Just outside Spring's transaction advice (by default the last), inside security's: a
    // cached method's value is stored after its own transaction committed, an invalidating
    // method invalidates after its commit, and a hit never skips an authorization check.
    setOrder(Ordered.LOWEST_PRECEDENCE - 1);
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return advice;
  }

  /** The plans of the methods this advisor intercepts. */
  public MethodPlans plans() {
    return plans;
  }
}
