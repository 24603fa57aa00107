package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
   * {@code Cache-Control} among them is added as it is when the handler set none, and merged
   * into the handler's own with {@link #privateCacheControl} otherwise.
   */
  OutputStream open(HttpHeaders cacheHeaders) throws IOException;

  /**
   * The {@code Cache-Control} to send instead of the handler's {@code handlerLines} when the
   * cache asks for {@code private}: those directives with {@code private} appended, or
   * {@code null} to keep them as they are, when they already say {@code private},
   * {@code no-store} or {@code public}.
   */
  static @Nullable String privateCacheControl(List<String> handlerLines) {
    return DownstreamHeaders.withPrivate(handlerLines);
  }
}
