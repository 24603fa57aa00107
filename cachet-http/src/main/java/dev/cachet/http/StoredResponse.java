package dev.cachet.http;

import dev.cachet.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A response as the cache stores it: status, the headers that may be replayed (no hop-by-hop
 * headers, no {@code Set-Cookie}, no {@code Date}, {@code Age} or {@code Content-Length}, which
 * are computed when it is served) and the body.
 *
 * <p>Immutable and thread-safe: the body is copied in and out; {@link #writeBodyTo} writes it
 * without a copy.
 */
public final class StoredResponse {
  private final int status;
  private final HttpHeaders headers;
  private final Body body;
  /** The codec's UTF-8 header lines, kept between sizing and writing (benign race: same value). */
  volatile @Nullable List<byte[]> encodedHeaders;

  /** Set while the body's array may still become a stored entry, which it does at most once. */
  private final @Nullable AtomicBoolean placeable;
  /** The body's length before Cachet gzip-compressed it, or -1 when the body is as the handler wrote it. */
  private final int identityLength;
  /**
   * The body before compression, while the handler's capture is at hand (the miss that stored it,
   * requests that joined it): spares them inflating what was just compressed. Never encoded.
   */
  private final @Nullable Body identityBody;

  private StoredResponse(int status, HttpHeaders headers, Body body, boolean placeable) {
    this(status, headers, body, placeable, -1, null);
  }

  private StoredResponse(int status, HttpHeaders headers, Body body, boolean placeable,
      int identityLength, @Nullable Body identityBody) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599]: " + status);
    }
    if (identityLength < -1) {
      throw new IllegalArgumentException("identity length must be at least -1: " + identityLength);
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.placeable = placeable ? new AtomicBoolean(true) : null;
    this.identityLength = identityLength;
    this.identityBody = identityBody;
  }

  /** A stored response; {@code body} is copied. Headers are taken as they are. */
  public static StoredResponse of(int status, HttpHeaders headers, byte[] body) {
    return new StoredResponse(status, headers, Body.of(Objects.requireNonNull(body, "body").clone()), false);
  }

  /** Without a copy, for bodies nobody modifies. */
  static StoredResponse wrap(int status, HttpHeaders headers, Body body) {
    return new StoredResponse(status, headers, body, false);
  }

  /**
   * Without a copy, for a body captured in an array that nothing else holds or writes to
   * ({@link BodyCapture#placeable()}): the array may become the stored entry.
   */
  static StoredResponse wrapPlaceable(int status, HttpHeaders headers, Body body) {
    return new StoredResponse(status, headers, body, body.soleArray() != null);
  }

  /**
   * A response whose {@code gzipped} body Cachet compressed from {@code identityLength} bytes
   * (the response's own headers describe the identity body); {@code identity} is that body when
   * still at hand.
   */
  static StoredResponse wrapGzipped(
      int status, HttpHeaders headers, Body gzipped, int identityLength, @Nullable Body identity) {
    return new StoredResponse(status, headers, gzipped, false, identityLength, identity);
  }

  /**
   * Whether the stored body is a gzip Cachet made ({@link Compression}): then {@link #body()} is
   * that gzip, while {@link #headers()} describe the identity body, and whoever replays it must
   * send {@code Content-Encoding: gzip} or {@link #identityBody()}.
   */
  public boolean gzipped() {
    return identityLength >= 0;
  }

  /** The identity body's length: {@link #bodyLength()} unless {@link #gzipped()}. */
  public int identityLength() {
    return identityLength >= 0 ? identityLength : body.length();
  }

  /** The identity body: the stored one, the one kept from the capture, or the stored gzip inflated. */
  Body identityBodyView() {
    if (identityLength < 0) {
      return body;
    }
    return identityBody != null ? identityBody : GzipBodies.gunzip(body, identityLength);
  }

  /** Whether this call took the body's array for an entry: true at most once per response. */
  boolean takePlacement() {
    return placeable != null && placeable.compareAndSet(true, false);
  }

  /** The binary codec of stored responses (versioned; corrupt input throws). */
  public static Codec<StoredResponse> codec() {
    return StoredResponseCodec.INSTANCE;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** A copy of the body as stored: gzip when Cachet compressed it ({@link #gzipped()}). */
  public byte[] body() {
    return body.copy();
  }

  /** A copy of the identity body: {@link #body()}, inflated when {@link #gzipped()}. */
  public byte[] identityBody() {
    return identityBodyView().copy();
  }

  public int bodyLength() {
    return body.length();
  }

  /** Writes the body to {@code out}. */
  public void writeBodyTo(OutputStream out) throws IOException {
    body.writeTo(out);
  }

  Body bodyView() {
    return body;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredResponse r && r.status == status && r.headers.equals(headers)
        && r.identityLength == identityLength && r.body.contentEquals(body);
  }

  @Override
  public int hashCode() {
    return (status * 31 + headers.hashCode()) * 31 + body.hashCode();
  }

  @Override
  public String toString() {
    return "StoredResponse[" + status + ", " + headers + ", " + body.length() + " bytes"
        + (gzipped() ? " gzip of " + identityLength : "") + "]";
  }
}
