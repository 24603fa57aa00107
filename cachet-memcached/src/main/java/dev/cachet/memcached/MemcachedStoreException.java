package dev.cachet.memcached;

/**
 * A Memcached operation failed: it timed out, its server is down, or the server refused it.
 * Cachet counts it as a store error and serves without the cache; it never reaches Cachet's
 * callers.
 */
public final class MemcachedStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MemcachedStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  MemcachedStoreException(String message) {
    super(message);
  }
}
