package dev.cachet.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The handler's failures through the futures of the read path, unwrapped. Stateless. */
final class Futures {
  private Futures() {}

  /** The failure a future completed with, without the wrappers the futures put around it. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The value of {@code done}, a completed future, or what it failed with, thrown as it is. */
  static <T> T valueOf(CompletableFuture<T> done) throws Exception {
    try {
      return done.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
