package dev.cachet.internal;

import dev.cachet.CachePolicy;
import dev.cachet.internal.FailSafeStore.VersionStamps;
import dev.cachet.store.CacheStore;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one namespace from trusting data that its store brought back from before writes it
 * acknowledged ({@link CacheStore#incarnation}: a Redis restarted from a snapshot, a replica
 * promoted). The namespace records in the store the incarnation it was last validated against,
 * under {@code <ns>:i}. When the store names a new one, nothing read from it is trusted until the
 * recorded one has been compared with it and, if they differ, the namespace version has been
 * bumped and the new incarnation recorded, in that order: the first process to see the new
 * incarnation invalidates the namespace, the others find it recorded (two that see it at once
 * both bump, which only invalidates twice). Every entry written before the bump, from whatever
 * versions the restored data held, is invalid after it.
 *
 * <p>A store that does not track incarnations answers {@code 0} forever, which is the initial
 * validated value: such stores cost one field read per check. Thread-safe; one validation runs
 * at a time, and reads that find one running wait for it rather than miss (a miss would load
 * outside the single flight); when it fails, they miss without trying again themselves.
 */
final class IncarnationCheck {
  private static final System.Logger LOG = System.getLogger("dev.cachet");

  private final CacheStore store;
  private final String incarnationKey;
  private final String namespaceVersionKey;
  private final ReentrantLock validating = new ReentrantLock();
  private volatile long validated;
  /** Validations started; written under the lock. */
  private volatile long attempts;

  IncarnationCheck(CacheStore store, String incarnationKey, String namespaceVersionKey) {
    this.store = store;
    this.incarnationKey = incarnationKey;
    this.namespaceVersionKey = namespaceVersionKey;
  }

  /**
   * Whether what the store answers now may be trusted, validating a new incarnation first.
   *
   * @throws RuntimeException when the store fails during the validation (it is tried again)
   */
  boolean validate() {
    long current = store.incarnation();
    return current == validated || validateNow();
  }

  /**
   * Whether a read made after {@link #validate} returned {@code true} may be trusted: the store's
   * incarnation did not change meanwhile.
   */
  boolean stillValid() {
    return store.incarnation() == validated;
  }

  private boolean validateNow() {
    long seen = attempts;
    validating.lock(); // waiting beats missing: a miss here would load outside the single flight
    try {
      long current = store.incarnation();
      if (current == validated) {
        return true;
      }
      if (attempts != seen) {
        return false; // one failed while this thread waited: not again at once, by every waiter
      }
      attempts++;
      if (current == 0) {
        // The store stopped telling incarnations: what it serves now cannot be vouched for.
        invalidateNamespace(current);
      } else {
        long recorded = store.getVersions(List.of(incarnationKey))[0];
        if (recorded != current) {
          invalidateNamespace(current); // first: a failure before the record is redone later
        }
        // Kept for good, as the namespace version is: an expired record would cost the next
        // process that validates it a needless bump of the namespace.
        store.setVersion(incarnationKey, current, CachePolicy.MAX_DURATION);
      }
      if (store.incarnation() != current) {
        return false; // changed again meanwhile: validate that one on the next read
      }
      validated = current;
      return true;
    } finally {
      validating.unlock();
    }
  }

  private void invalidateNamespace(long incarnation) {
    // Kept for good, as FailSafeStore keeps it: its expiry would invalidate everything again.
    store.setVersion(namespaceVersionKey, VersionStamps.newHard(), CachePolicy.MAX_DURATION);
    LOG.log(System.Logger.Level.INFO, "Cachet namespace version " + namespaceVersionKey
        + " bumped: the store's data is of a new incarnation (" + Long.toHexString(incarnation)
        + "), which may have come back from before acknowledged invalidations (a restart from a"
        + " snapshot, a failover)");
  }
}
