package dev.cachet.store;

/**
 * Thrown by a store call that was not attempted because the store is known to be down (an open
 * circuit breaker, or no Memcached server connected). Cachet reads it as a miss, like any store
 * failure. {@link dev.cachet.Cachet#keys} also throws it to its caller when the store stops
 * answering the scan, so that a listing is never cut short silently.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message, null, false, false); // thrown per request while down: no stack trace
  }
}
