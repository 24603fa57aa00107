package dev.cachet.http;

/**
 * Runs the application's handler for one request and returns what it produced: the adapter's
 * bridge to its framework (a Servlet filter calls the rest of its chain here).
 *
 * <p>The handler's body must be written through a {@link BodyCapture} from
 * {@link Forward#newBodyCapture}, which buffers it, or streams it to the client when the
 * {@link Forward} says so. The origin may be called on a different request thread than the one
 * that received the request only through {@link HttpCacheResult#revalidate}, which the adapter
 * calls itself, or from a task given to the executor that resumes a request
 * ({@link HttpCache#handleReadAsync(HttpRequestView, RoutePolicy, Origin, java.util.concurrent.Executor)}),
 * which the adapter runs.
 */
@FunctionalInterface
public interface Origin {

  /**
   * Runs the handler.
   *
   * @throws Exception whatever the handler throws; {@link HttpCache} rethrows it to the adapter
   */
  OriginResponse proceed(Forward forward) throws Exception;
}
