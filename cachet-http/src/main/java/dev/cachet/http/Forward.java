package dev.cachet.http;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What {@link HttpCache} asks of one run of the handler: how its body is to be handled. Given to
 * {@link Origin#proceed}; the adapter wraps its response so that the body goes through
 * {@link #newBodyCapture}, and returns an {@link OriginResponse} built from that capture.
 *
 * <p>Thread-safe. One forward serves one run of the handler.
 */
public final class Forward {

  /** How the handler's body is handled. */
  public enum Mode {
    /**
     * Buffered up to {@link #maxBodyBytes()}, so that it can be stored or an invalidation can
     * run before the client sees the response; a larger or streaming body switches to the
     * client ({@link PassThrough}) and is not stored.
     */
    CAPTURE,
    /** Sent to the client as it is written: the response will not be stored. */
    PASS_THROUGH,
    /**
     * Buffered for a background refresh, after the client was already served: nothing goes to
     * the client, and a body larger than {@link #maxBodyBytes()} or a streaming one aborts the
     * handler with an {@link java.io.IOException}.
     */
    DETACHED
  }

  /**
   * The request headers that make a handler answer for one client's copy or part of the
   * representation ({@code 304}, {@code 412}, {@code 206}) instead of the whole of it: the client's
   * validators and preconditions (RFC 9110 section 13.1) and its range (section 14). A load that
   * may fill the cache hides them from the handler ({@link #asksFullResponse()}).
   */
  public static final List<String> CLIENT_CONDITIONALS = List.of(
      "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "Range", "If-Range");

  private final Mode mode;
  private final long maxBodyBytes;
  private final Function<String, HttpHeaders> passThroughHeaders;
  private final int expectedBodyBytes;
  private volatile @Nullable BodyCapture capture;
  private volatile ObjIntConsumer<HttpHeaders> onComplete = (headers, status) -> {};
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile boolean later;
  private final boolean acceptsLater;
  private volatile boolean fullResponse;

  Forward(Mode mode, long maxBodyBytes, Function<String, HttpHeaders> passThroughHeaders) {
    this(mode, maxBodyBytes, passThroughHeaders, 0, false);
  }

  /** With the body's likely size in bytes ({@link BodySizes}; 0 when unknown). */
  Forward(Mode mode, long maxBodyBytes, Function<String, HttpHeaders> passThroughHeaders,
      int expectedBodyBytes) {
    this(mode, maxBodyBytes, passThroughHeaders, expectedBodyBytes, false);
  }

  /**
   * With the body's likely size in bytes ({@link BodySizes}; 0 when unknown), and whether the
   * adapter may answer later ({@link #acceptsLater()}).
   */
  Forward(Mode mode, long maxBodyBytes, Function<String, HttpHeaders> passThroughHeaders,
      int expectedBodyBytes, boolean acceptsLater) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.maxBodyBytes = maxBodyBytes;
    this.passThroughHeaders = passThroughHeaders;
    this.expectedBodyBytes = expectedBodyBytes;
    this.acceptsLater = acceptsLater;
  }

  public Mode mode() {
    return mode;
  }

  /** The largest body that is buffered. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * A sink for the handler's body, following {@link #mode()}.
   *
   * @param passThrough opens the client's response if the body must go there; never called in
   *     {@link Mode#DETACHED}
   */
  public BodyCapture newBodyCapture(PassThrough passThrough) {
    BodyCapture c = new BodyCapture(mode, maxBodyBytes,
        Objects.requireNonNull(passThrough, "passThrough"), passThroughHeaders, expectedBodyBytes);
    this.capture = c;
    return c;
  }

  /**
   * Whether the origin may return {@link OriginResponse#later}: when the handler goes on after
   * {@link Origin#proceed} returned (an asynchronous request) and the adapter still captures its
   * whole response, to be stored like any other. True only for the miss of a cached read that
   * the adapter handles with {@link HttpCache#handleReadAsync}, or its refresh of a stale entry
   * whose route answers later.
   */
  public boolean acceptsLater() {
    return acceptsLater;
  }

  /**
   * Whether the handler must not see the request's {@link #CLIENT_CONDITIONALS}: this run may fill
   * the cache (a miss, a refresh, a client's {@code no-cache} reload), so it must produce the full
   * response that is stored and shared with every request of the key, not a {@code 304} or
   * {@code 206} for its own client, which could not be stored; the client's own conditional is
   * then evaluated by the cache against that response. The adapter hides those headers from the
   * handler's request. False for runs that store nothing (writes, bypassed reads, a {@code HEAD}
   * alone): their handler sees the request as it came.
   */
  public boolean asksFullResponse() {
    return fullResponse;
  }

  /** Marks a run that may fill the cache ({@link #asksFullResponse()}). */
  Forward askFullResponse() {
    this.fullResponse = true;
    return this;
  }

  /** What {@link #complete} runs (a write's invalidation), at most once: given the headers and status. */
  Forward whenComplete(ObjIntConsumer<HttpHeaders> action) {
    this.onComplete = Objects.requireNonNull(action, "action");
    return this;
  }

  /**
   * Tells the handler's final status before any of its response reaches the client; what the
   * cache does on it (for a write: the invalidation of a {@code 2xx} or {@code 3xx}) runs now, at most once per
   * forward, later calls doing nothing. The adapter calls it as the handler's body starts to pass
   * through (in its {@link PassThrough#open}, before the first byte leaves); {@link HttpCache}
   * calls it itself once the handler returned, unless {@link #completeLater} was called.
   */
  public void complete(int status) {
    complete(status, HttpHeaders.empty());
  }

  /**
   * As {@link #complete(int)}, with the handler's response headers as they are then: a write's
   * {@code Location} and {@code Content-Location} name resources it changed, which are
   * invalidated too (see {@link Invalidator#plan(HttpRequestView, int, HttpHeaders,
   * InvalidationPolicy)}).
   */
  public void complete(int status, HttpHeaders headers) {
    Objects.requireNonNull(headers, "headers");
    if (completed.compareAndSet(false, true)) {
      onComplete.accept(headers, status);
    }
  }

  /**
   * The handler goes on after {@link Origin#proceed} returned (an asynchronous request): its
   * status is not final yet. The adapter calls {@link #complete} when it is (as the body starts,
   * or when the request completes), and {@link HttpCache} does not.
   */
  public void completeLater() {
    later = true;
  }

  boolean completesLater() {
    return later;
  }

  /** Whether this forward's handler went asynchronous in {@link Mode#DETACHED}, which refused it. */
  boolean wentAsynchronous() {
    BodyCapture c = capture;
    return c != null && c.wentAsynchronous();
  }

  /** Whether a body written for this forward went to the client. */
  boolean passedThrough() {
    BodyCapture c = capture;
    return c != null && c.passedThrough();
  }

  /** The cache headers added when the body passes through for {@code reason}. */
  HttpHeaders passThroughHeaders(String reason) {
    return passThroughHeaders.apply(reason);
  }
}
