package dev.cachet.http;

import org.jspecify.annotations.Nullable;

/**
 * A route policy compared by identity, as a key for what is learned per route: a policy is built
 * once per handler, and equal policies may serve different handlers. Immutable.
 */
record RouteIdentity(RoutePolicy policy) {
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RouteIdentity r && r.policy == policy;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(policy);
  }
}
