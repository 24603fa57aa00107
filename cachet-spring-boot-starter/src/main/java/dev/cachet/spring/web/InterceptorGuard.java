package dev.cachet.spring.web;

import dev.cachet.servlet.HitGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.handler.ConversionServiceExposingInterceptor;
import org.springframework.web.servlet.resource.ResourceUrlProviderExposingInterceptor;

/**
 * The application's Spring MVC interceptors of a cached route, run on a request answered from
 * the cache as the dispatcher runs them around a handler: {@code preHandle} in order, stopping at
 * the first that refuses (it answered the request itself, say with a {@code 403}); then, once the
 * answer is written, {@code postHandle} (without a model) and {@code afterCompletion} in reverse.
 * Without it a hit would skip an authorisation or tenant check kept in an interceptor. Spring's
 * own interceptors that only expose request attributes for views are left out. Thread-safe.
 */
final class InterceptorGuard implements HitGuard {
  private final Object handler;
  private final List<HandlerInterceptor> interceptors;

  private InterceptorGuard(Object handler, List<HandlerInterceptor> interceptors) {
    this.handler = handler;
    this.interceptors = interceptors;
  }

  /** A guard for {@code chain}'s interceptors, or {@code null} when it has none of the application's. */
  static @Nullable InterceptorGuard of(HandlerExecutionChain chain) {
    List<HandlerInterceptor> all = chain.getInterceptorList();
    List<HandlerInterceptor> own = null; // on every lookup of a read: nothing allocated without any
    for (HandlerInterceptor i : all) {
      if (!(i instanceof ConversionServiceExposingInterceptor) && !(i instanceof ResourceUrlProviderExposingInterceptor)) {
        if (own == null) {
          own = new ArrayList<>(all.size());
        }
        own.add(i);
      }
    }
    return own == null ? null : new InterceptorGuard(chain.getHandler(), List.copyOf(own));
  }

  @Override
  public @Nullable Admission admit(HttpServletRequest request, HttpServletResponse response) throws Exception {
    for (int i = 0; i < interceptors.size(); i++) {
      boolean passed;
      try {
        passed = interceptors.get(i).preHandle(request, response, handler);
      } catch (Exception e) {
        afterCompletion(request, response, i - 1, e);
        throw e;
      }
      if (!passed) {
        afterCompletion(request, response, i - 1, null);
        return null;
      }
    }
    return failure -> {
      if (failure == null) {
        for (int i = interceptors.size() - 1; i >= 0; i--) {
          try {
            interceptors.get(i).postHandle(request, response, handler, null);
          } catch (Exception e) {
            afterCompletion(request, response, interceptors.size() - 1, e);
            return;
          }
        }
      }
      afterCompletion(request, response, interceptors.size() - 1, failure);
    };
  }

  /** {@code afterCompletion} of the interceptors up to {@code last}, in reverse, as the dispatcher does. */
  private void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, int last, @Nullable Exception failure) {
    for (int i = last; i >= 0; i--) {
      try {
        interceptors.get(i).afterCompletion(request, response, handler, failure);
      } catch (Exception ignored) {
        // the dispatcher logs and goes on too: one interceptor's clean-up never stops another's
      }
    }
  }
}
