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
   * ({@code X-Cache}, {@code Cache-Status}, a {@code Vary}: add, do not replace, so that values
   * of inner caches and the handler's own are kept), and returns the client's body stream. A
   * {@code Cache-Control} among them is added only when the handler set none: the handler's own
   * decision stands.
   */
  OutputStream open(HttpHeaders cacheHeaders) throws IOException;
}
