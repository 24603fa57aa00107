package dev.cachet.spring.internal;

import dev.cachet.Cachet;
import dev.cachet.CacheLoaderException;
import dev.cachet.CachePolicy;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code @Cached} methods through the cache and {@code @InvalidateCache} methods' invalidations
 * after they succeed. A key that cannot be computed for one call (an unreadable property) makes
 * that call run uncached, logged as a warning at most once a minute per method; nothing about caching ever fails the call. Inside a Spring transaction,
 * {@link Transactions} decides what may be read, stored and when to invalidate. Thread-safe.
 */
final class CachetMethodInterceptor implements MethodInterceptor {
  private static final Logger LOG = System.getLogger(CachetMethodInterceptor.class.getName());

  private final Supplier<Cachet> cachet;
  private final MethodPlans plans;
  private final Supplier<@Nullable InvalidationSink> sink;
  private final Set<CachedMethod> toldAboutTransactions = ConcurrentHashMap.newKeySet();

  CachetMethodInterceptor(Supplier<Cachet> cachet, MethodPlans plans, Supplier<@Nullable InvalidationSink> sink) {
    this.cachet = cachet;
    this.plans = plans;
    this.sink = sink;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    Object proxy = invocation instanceof ProxyMethodInvocation through ? through.getProxy() : null;
    Class<?> targetClass = KeyClasses.of(proxy, invocation.getThis(), method);
    MethodPlans.Plan plan = plans.plan(method, targetClass);
    Object result = plan.cached() == null ? invocation.proceed() : cached(plan.cached(), invocation);
    if (plan.invalidating() != null) {
      return afterSuccess(plan.invalidating(), invocation.getArguments(), result, plan.controller());
    }
    return result;
  }

  private @Nullable Object cached(CachedMethod m, MethodInvocation invocation) throws Throwable {
    Object[] args = invocation.getArguments();
    String key;
    CachePolicy policy;
    try {
      key = m.key(args);
      policy = m.policy(args);
    } catch (RuntimeException e) {
      m.warnings.warn("@Cached " + m.description() + " runs uncached: its key cannot be computed", e);
      return invocation.proceed();
    }
    if (Transactions.inReadWrite()) {
      return inReadWriteTransaction(m, key, invocation);
    }
    Cachet c = cachet.get();
    switch (m.kind) {
      case FUTURE: {
        return c.getAsync(key, m.codec, policy, () -> proceedAsync(invocation));
      }
      case OPTIONAL: {
        Object v = unwrap(() -> c.get(key, m.codec, policy, () -> ((Optional<?>) proceed(invocation)).orElse(null)));
        return Optional.ofNullable(v);
      }
      default:
        return unwrap(() -> c.get(key, m.codec, policy, () -> proceed(invocation)));
    }
  }

  /**
   * A call inside a read-write transaction: a fresh entry answers, unless the transaction has
   * invalidated anything; what the method returns is not stored, nor shared with other callers.
   */
  private @Nullable Object inReadWriteTransaction(CachedMethod m, String key, MethodInvocation invocation)
      throws Throwable {
    if (m.kind != CachedMethod.Kind.FUTURE && !Transactions.invalidatedInCurrent()) {
      Object v = cachet.get().getIfPresent(key, m.codec);
      if (v != null) {
        return m.kind == CachedMethod.Kind.OPTIONAL ? Optional.of(v) : v;
      }
    }
    if (toldAboutTransactions.add(m)) {
      LOG.log(Level.INFO, "@Cached " + m.description() + " ran inside a read-write transaction: what it"
          + " loads there is not stored (a read-only transaction, or none, stores it)");
    }
    return invocation.proceed();
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Object> proceedAsync(MethodInvocation invocation) {
    try {
      Object stage = invocation.proceed();
      return stage == null ? CompletableFuture.completedFuture(null) : ((CompletionStage<Object>) stage).toCompletableFuture();
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  /** Proceeds, carrying any throwable out through the cache's loader as-is. */
  private static @Nullable Object proceed(MethodInvocation invocation) throws Exception {
    try {
      return invocation.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new CacheLoaderException(invocation.getMethod().getName(), t);
    }
  }

  /** Calls the cache and rethrows the method's own checked exception rather than its wrapper. */
  private static @Nullable Object unwrap(Supplier<@Nullable Object> call) throws Throwable {
    try {
      return call.get();
    } catch (CacheLoaderException e) {
      throw e.getCause() != null ? e.getCause() : e;
    }
  }

  /**
   * Hands a controller's invalidation to the HTTP layer now, on the request's thread, which
   * applies it once the response is known to be {@code 2xx} or {@code 3xx}; {@code false} when it cannot (no
   * request in progress, or a template that cannot be rendered: then handled when the method's
   * future completes, as on other beans).
   */
  private void applyNow(InvalidatingMethod m, @Nullable Object[] args) {
    Cachet c = cachet.get();
    try {
      InvalidationApplier.apply(c, m.render(args));
    } catch (RuntimeException e) {
      InvalidationApplier.applyConservatively(c, m.description(), e);
    }
  }

  private @Nullable Object afterSuccess(InvalidatingMethod m, @Nullable Object[] args, @Nullable Object result, boolean controller) {
    Runnable invalidate = () -> {
      Cachet c = cachet.get();
      try {
        RenderedInvalidation rendered = m.render(args);
        InvalidationSink deferTo = controller ? sink.get() : null;
        if (deferTo != null && deferTo.defer(rendered)) {
          return; // applied by the HTTP layer once the response is known to be 2xx or 3xx
        }
        InvalidationApplier.apply(c, rendered);
      } catch (RuntimeException e) {
        InvalidationApplier.applyConservatively(c, m.description(), e);
      }
    };
    if (result instanceof CompletionStage<?> stage) {
      CompletableFuture<@Nullable Void> transactionDone = new CompletableFuture<>();
      if (Transactions.deferToCompletion(() -> transactionDone.complete(null))) {
        // Inside a transaction it joins: once both the transaction has completed (as for a void
        // method) and the future succeeded, whichever is last. The caller's future does not wait
        // for the commit: the transaction may be waiting for that future.
        stage.thenAccept(value -> {
          if (!controller || !ControllerResults.unsuccessful(value)) {
            transactionDone.thenRun(() -> applyNow(m, args));
          }
        });
        return result;
      }
      // Applied when the write's future completes normally, before Spring sends its result, not
      // when its status is known: a request that times out while the write goes on still
      // invalidates once the write is done. A controller's ResponseEntity that is neither 2xx nor 3xx is a
      // failed write and invalidates nothing.
      return stage.thenApply(value -> {
        if (!controller || !ControllerResults.unsuccessful(value)) {
          applyNow(m, args);
        }
        return value;
      });
    }
    if (!Transactions.deferToCompletion(invalidate)) {
      invalidate.run();
    }
    return result;
  }
}
