package dev.cachet.store;

/**
 * Thrown by {@link CacheStore#scan} when the scan a cursor belongs to can no longer be completed
 * with the promise a scan makes, that every key present from its first page to its last is
 * listed: the store moved keys between its parts while it ran (a Redis Cluster reshard moved a
 * slot from a node not yet scanned to one already scanned). The pages already returned may lack
 * such keys; a new scan (a {@code null} cursor) lists them.
 *
 * <p>Not a sign that the store is down: {@link CircuitBreakerStore} passes it through uncounted.
 * Cachet's pattern deletes answer it by invalidating the whole namespace, as they answer a scan
 * that fails; a key listing starts over.
 */
public final class IncompleteScanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what changed during the scan */
  public IncompleteScanException(String message) {
    super(java.util.Objects.requireNonNull(message, "message"));
  }
}
