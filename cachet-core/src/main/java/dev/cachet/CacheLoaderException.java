package dev.cachet;

/** Wraps a checked exception thrown by a loader; runtime exceptions pass through unwrapped. */
public final class CacheLoaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheLoaderException(String key, Throwable cause) {
    super("loader for key '" + key + "' failed: " + cause, cause);
  }
}
