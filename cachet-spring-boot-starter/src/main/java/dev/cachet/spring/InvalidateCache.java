package dev.cachet.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates cache entries after the annotated method succeeds, never before and never when it
 * throws: tags, keys and glob patterns, each a template filled from the method's arguments (on a
 * controller, a path variable or query parameter is reached through the method's
 * {@code @PathVariable} or {@code @RequestParam} parameter; a placeholder naming no parameter
 * fails the start-up).
 *
 * <p>On a bean method it runs once the method has returned normally (or its future completed
 * normally). On a controller method it runs after the response is known to be {@code 2xx} or {@code 3xx}, in
 * addition to the automatic REST-hierarchy invalidation; for a controller that answers
 * asynchronously, never when the method returns: with a {@code CompletableFuture} (any
 * {@code CompletionStage}), once it completes normally with a value that is not a
 * {@code ResponseEntity} of another status (so a write still invalidates when its request timed
 * out before it finished), with a {@code DeferredResult} or the like, once its response is
 * known to be {@code 2xx} or {@code 3xx}. Inside a Spring transaction (the
 * method's own, or one it joins) it runs when that transaction completes, after the commit: made
 * before it, a concurrent reader could reload the old rows and store them for the whole TTL. It
 * runs after a rollback too (the method returned, yet its changes were undone): one reload too
 * many, never a stale entry, whereas skipping it would trust that nothing changed outside the
 * transaction. A method returning a {@code CompletionStage} inside a transaction it joins
 * invalidates once both that transaction has completed and its future has completed normally,
 * whichever comes last (its future is not held back until the commit).
 *
 * <p>Templates are checked against the method's parameters as {@link Cached#key()}'s are, so a
 * misspelt property fails the start-up instead of each call. A template that cannot be rendered at
 * a call (a property an interface-typed argument lacks) clears the whole namespace, since stale
 * values are worse than misses. It works through the bean's proxy: a {@code final},
 * {@code private} or {@code static} method, which the proxy cannot intercept, fails the start-up.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface InvalidateCache {
  /** Tag templates to invalidate, e.g. {@code users}, {@code user:{id}}. */
  String[] tags() default {};

  /**
   * Key templates to delete (as {@link Cached#key()} renders them). A {@link CacheResponse#key()}
   * rendering the same key is reached too, for every origin, vary-by header and caller its
   * responses were stored under (they carry the key's tag, {@code Invalidator.keyTag}).
   */
  String[] keys() default {};

  /**
   * Glob pattern templates whose keys are deleted. They need a store that can list keys (memory,
   * Redis): on one that cannot (Memcached), the whole namespace is cleared instead, with a logged
   * error, since what they name cannot be found and stale is worse than cold. Prefer tags there.
   */
  String[] patterns() default {};
}
