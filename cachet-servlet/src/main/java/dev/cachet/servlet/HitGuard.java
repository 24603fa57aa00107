package dev.cachet.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a request must pass before it is answered from the cache, because they run after
 * this filter, with the handler, and so would be skipped: a framework's handler interceptors (an
 * authorisation or tenant check in a Spring MVC {@code HandlerInterceptor}, say). {@link
 * CachetFilter} asks it whenever a cached read is answered without its own handler running (a
 * hit, a stale answer, a {@code 304}, or a miss it joined another request's load for); a miss
 * whose handler runs goes through those checks already.
 *
 * <p>Implementations must be thread-safe; one is typically made per route.
 */
@FunctionalInterface
public interface HitGuard {

  /**
   * Runs the checks on {@code request}, which is about to be answered from the cache.
   *
   * @return what to run once the answer is written (a check's clean-up), or {@code null} when a
   *     check refused the request and answered it itself: nothing from the cache is written then
   * @throws Exception when a check failed: the request is then handled as if it were not cached
   *     (its handler runs, with the framework's own error handling), when nothing was sent yet
   */
  @Nullable Admission admit(HttpServletRequest request, HttpServletResponse response) throws Exception;

  /** A request a {@link HitGuard} let through, told when its answer from the cache is written. */
  @FunctionalInterface
  interface Admission {
    /** The answer was written ({@code failure} is {@code null}) or writing it failed. */
    void completed(@Nullable Exception failure);
  }
}
