package dev.cachet.http;

import java.util.Objects;
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

  private OriginResponse(int status, HttpHeaders headers, Body body, @Nullable BodyCapture capture) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599]: " + status);
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.capture = capture;
  }

  /** The handler's response whose body was written to {@code body}. */
  public static OriginResponse of(int status, HttpHeaders headers, BodyCapture body) {
    Objects.requireNonNull(body, "body");
    return new OriginResponse(status, headers, body.buffered(), body);
  }

  /** A fully buffered response, for adapters that have the whole body at hand; not copied. */
  public static OriginResponse of(int status, HttpHeaders headers, byte[] body) {
    return new OriginResponse(status, headers, Body.of(Objects.requireNonNull(body, "body")), null);
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
