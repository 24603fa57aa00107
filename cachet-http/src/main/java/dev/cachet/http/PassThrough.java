package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Opens the client's response for a body that will not be buffered: implemented by the adapter,
 * called at most once by a {@link BodyCapture}.
 */
@FunctionalInterface
public interface PassThrough {

  /**
   * Commits the status and headers the handler set so far, adds {@code cacheHeaders} to them
   * ({@code X-Cache}, {@code Cache-Status}: add, do not replace, so that {@code Cache-Status}
   * values of inner caches are kept), and returns the client's body stream.
   */
  OutputStream open(HttpHeaders cacheHeaders) throws IOException;
}
