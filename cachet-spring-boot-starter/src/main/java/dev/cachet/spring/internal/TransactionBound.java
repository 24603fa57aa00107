package dev.cachet.spring.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The part of {@link Transactions} that touches spring-tx, loaded only when it is present. The
 * deferred invalidations live in a synchronization of the current transaction rather than in a
 * bound resource, so that a suspended transaction (an inner {@code REQUIRES_NEW}) keeps its own.
 */
final class TransactionBound {
  private TransactionBound() {}

  static boolean inReadWrite() {
    return TransactionSynchronizationManager.isActualTransactionActive()
        && !TransactionSynchronizationManager.isCurrentTransactionReadOnly();
  }

  static boolean hasDeferred() {
    return TransactionSynchronizationManager.isSynchronizationActive() && deferred() != null;
  }

  static boolean defer(Runnable invalidation) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return false;
    }
    Deferred d = deferred();
    if (d == null) {
      d = new Deferred();
      TransactionSynchronizationManager.registerSynchronization(d);
    }
    d.invalidations.add(invalidation);
    return true;
  }

  private static @Nullable Deferred deferred() {
    for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
      if (s instanceof Deferred d) {
        return d;
      }
    }
    return null;
  }

  /** One transaction's invalidations, in order; touched by that transaction's thread only. */
  private static final class Deferred implements TransactionSynchronization {
    final List<Runnable> invalidations = new ArrayList<>();

    @Override
    public void afterCompletion(int status) {
      invalidations.forEach(Runnable::run);
    }
  }
}
