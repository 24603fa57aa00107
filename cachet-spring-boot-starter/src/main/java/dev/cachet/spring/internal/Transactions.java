package dev.cachet.spring.internal;

import org.springframework.util.ClassUtils;

/**
 * Keeps method caching right inside Spring transactions, when spring-tx is on the class path. An
 * invalidation made inside a transaction runs once the transaction has completed: made before
 * the commit, it would let a reader reload the old rows in between and store them for the whole
 * TTL. A {@code @Cached} call inside a read-write transaction does not store what it loads (rows
 * the transaction wrote may still roll back, and other callers must never see them), and once
 * the transaction has invalidated anything it does not read the cache either (the entry would
 * answer with the value the transaction has just changed). Stateless and thread-safe; without
 * spring-tx every method answers as outside a transaction.
 */
final class Transactions {
  /** Looked up by name: a native image finds it only with a hint (MethodCachingRuntimeHints). */
  static final String SYNCHRONIZATION_CLASS =
      "org.springframework.transaction.support.TransactionSynchronizationManager";
  private static final boolean PRESENT = ClassUtils.isPresent(SYNCHRONIZATION_CLASS, Transactions.class.getClassLoader());

  private Transactions() {}

  /** Whether the calling thread runs inside a read-write transaction. */
  static boolean inReadWrite() {
    return PRESENT && TransactionBound.inReadWrite();
  }

  /** Whether the calling thread's transaction has deferred an invalidation. */
  static boolean invalidatedInCurrent() {
    return PRESENT && TransactionBound.hasDeferred();
  }

  /**
   * Runs {@code invalidation} when the calling thread's transaction completes, committed or not
   * (a rolled-back method may still have changed what no transaction covers).
   *
   * @return {@code false} when no transaction synchronization is active: the caller runs it now
   */
  static boolean deferToCompletion(Runnable invalidation) {
    return PRESENT && TransactionBound.defer(invalidation);
  }
}
