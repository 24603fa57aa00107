package dev.cachet.http;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What the handler produced: status, headers, and either its buffered body or the fact that the
 * body already went to the client ({@link #passedThrough()}). Built by the adapter when the
 * handler returns. Immutable once built; thread-safe.
 */
public final class OriginResponse {
  private final int status;
  private final HttpHeaders headers;
  private final Body body;
  private final @Nullable BodyCapture capture;
  private final @Nullable CompletableFuture<OriginResponse> later;

  private OriginResponse(int status, HttpHeaders headers, Body body, @Nullable BodyCapture capture,
      @Nullable CompletableFuture<OriginResponse> later) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599]: " + status);
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.capture = capture;
    this.later = later;
  }

  /** The handler's response whose body was written to {@code body}. */
  public static OriginResponse of(int status, HttpHeaders headers, BodyCapture body) {
    Objects.requireNonNull(body, "body");
    return new OriginResponse(status, headers, body.buffered(), body, null);
  }

  /** A fully buffered response, for adapters that have the whole body at hand; not copied. */
  public static OriginResponse of(int status, HttpHeaders headers, byte[] body) {
    return new OriginResponse(status, headers, Body.of(Objects.requireNonNull(body, "body")), null, null);
  }

  /**
   * The response of a handler that goes on asynchronously, still captured whole, to come: the
   * adapter completes {@code response} with it once the handler is done, or exceptionally with
   * what the handler failed with (or when the request ended without a response). Only for a
   * forward that {@link Forward#acceptsLater() accepts it}. The placeholder itself has no status,
   * headers or body of its own: {@link HttpCache} waits for {@code response}.
   */
  public static OriginResponse later(CompletableFuture<OriginResponse> response) {
    Objects.requireNonNull(response, "response");
    return new OriginResponse(200, HttpHeaders.empty(), Body.EMPTY, null, response);
  }

  /** The response to come, for {@link #later} placeholders; {@code null} otherwise. */
  @Nullable CompletableFuture<OriginResponse> later() {
    return later;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** Whether the body went to the client already: the response is committed and not stored. */
  public boolean passedThrough() {
    return capture != null && capture.passedThrough();
  }

  /** The buffered body (empty when it passed through). */
  Body body() {
    return body;
  }

  public int bodyLength() {
    return body.length();
  }

  /** Whether the buffered body's array may become the stored entry ({@link BodyCapture#placeable()}). */
  boolean placeable() {
    return capture != null && capture.placeable();
  }

  /** Why the body passed through ({@code too-large}, {@code streaming}, ...), or {@code null}. */
  @Nullable String passThroughReason() {
    return capture == null ? null : capture.passThroughReason();
  }

  @Nullable HttpHeaders sentHeaders() {
    return capture == null ? null : capture.sentHeaders();
  }
}
