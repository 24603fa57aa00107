package dev.cachet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to send for one request, as {@link HttpCache} decided it.
 *
 * <p>Unless {@link #committed()}, the adapter writes {@link #status()}, every one of
 * {@link #headers()} (complete: replayed or produced by the handler, plus {@code X-Cache},
 * {@code Cache-Status}, {@code Age}, {@code Date}, {@code ETag}, {@code Content-Length}, and for
 * a compressed entry {@code Content-Encoding} and {@code Vary}, as they apply) and the body, which
 * it must send as it is (never compress it again). A committed result was already sent by a {@link PassThrough}; nothing is
 * left to write. Then, for a stale hit, the adapter calls {@link #revalidate}.
 *
 * <p>Immutable and thread-safe, except that {@link #revalidate} runs the handler.
 */
public final class HttpCacheResult {
  /** Refreshes a stale entry with a handler run on the caller's thread. */
  interface Revalidation {
    boolean run(Origin origin);
  }

  private final XCache xCache;
  private final int status;
  private final HttpHeaders headers;
  private final Body body;
  private final boolean committed;
  private final @Nullable Revalidation revalidation;

  HttpCacheResult(
      XCache xCache, int status, HttpHeaders headers, Body body, boolean committed,
      @Nullable Revalidation revalidation) {
    this.xCache = Objects.requireNonNull(xCache, "xCache");
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.committed = committed;
    this.revalidation = revalidation;
  }

  /** This result with {@code headers} instead of its own. */
  HttpCacheResult withHeaders(HttpHeaders headers) {
    return new HttpCacheResult(xCache, status, headers, body, committed, revalidation);
  }

  /** How the cache handled the request; also sent as {@code X-Cache} when status headers are on. */
  public XCache xCache() {
    return xCache;
  }

  /** Whether the response was already sent through a {@link PassThrough}: write nothing. */
  public boolean committed() {
    return committed;
  }

  public int status() {
    return status;
  }

  /** Every header to send (when committed: the cache headers that were added). */
  public HttpHeaders headers() {
    return headers;
  }

  /** The {@code Cache-Status} value this cache added, or {@code null} when status headers are off. */
  public @Nullable String cacheStatus() {
    return headers.first("Cache-Status");
  }

  /** The body to send: empty for {@code HEAD}, {@code 304} and committed results. */
  public byte[] body() {
    return body.copy();
  }

  public int bodyLength() {
    return body.length();
  }

  Body bodyView() {
    return body;
  }

  public void writeBodyTo(OutputStream out) throws IOException {
    body.writeTo(out);
  }

  /**
   * Whether {@link #revalidate} has work to do: a stale entry is being refreshed in the
   * background. Never for a route whose handler answers later, whose stale entries a request of
   * their own refreshes instead.
   */
  public boolean needsRevalidation() {
    return revalidation != null;
  }

  /**
   * After a stale hit ({@link XCache#STALE} served from the stale-while-revalidate window) has
   * been sent, runs {@code origin} on this thread, in {@link Forward.Mode#DETACHED} mode, for the
   * background refresh the cache started, and hands its response to that refresh, which stores
   * it. Does nothing, and returns {@code false}, for any other result, or when another request
   * already serves the refresh. Handler failures are not thrown: the refresh fails and the stale
   * entry stays.
   *
   * <p>A Servlet filter calls it after writing (and flushing) the stale response; the
   * request's objects are still valid then.
   *
   * @return whether the handler ran
   */
  public boolean revalidate(Origin origin) {
    Objects.requireNonNull(origin, "origin");
    return revalidation != null && revalidation.run(origin);
  }

  @Override
  public String toString() {
    return "HttpCacheResult[" + xCache + ", " + status + (committed ? ", committed" : "")
        + ", " + headers + ", " + body.length() + " bytes]";
  }
}
