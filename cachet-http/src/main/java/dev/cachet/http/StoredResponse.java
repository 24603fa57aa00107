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

  private StoredResponse(int status, HttpHeaders headers, Body body, boolean placeable) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599]: " + status);
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.placeable = placeable ? new AtomicBoolean(true) : null;
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

  /** A copy of the body. */
  public byte[] body() {
    return body.copy();
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
        && r.body.contentEquals(body);
  }

  @Override
  public int hashCode() {
    return (status * 31 + headers.hashCode()) * 31 + body.hashCode();
  }

  @Override
  public String toString() {
    return "StoredResponse[" + status + ", " + headers + ", " + body.length() + " bytes]";
  }
}
