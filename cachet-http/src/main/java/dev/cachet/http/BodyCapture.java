package dev.cachet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The stream a handler's body is written to, as its {@link Forward} asks: buffered up to a cap,
 * then switched to the client untouched (what was buffered first, then every later write), so
 * that a body too large to store never has to fit in memory. Not thread-safe: one handler writes
 * to it.
 */
public final class BodyCapture extends OutputStream {
  /** Why a body passed through: larger than the cap. */
  static final String TOO_LARGE = "too-large";
  /** Why a body passed through: the handler streams ({@link #passThrough()}). */
  static final String STREAMING = "streaming";
  /** Why a body passed through: its forward was in {@link Forward.Mode#PASS_THROUGH}. */
  static final String UNCACHED = "uncached";

  /** Starts at 8 KiB: most API bodies fit, and larger ones double a few times at most. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(8192);
    }

    /** The written bytes, not copied: nothing writes to the buffer once it is handed out. */
    Body view() {
      return count == 0 ? Body.EMPTY : new Body(buf, 0, count);
    }
  }

  private final Forward.Mode mode;
  private final long cap;
  private final PassThrough target;
  private final Function<String, HttpHeaders> headers;
  private @Nullable Buffer buffer = new Buffer();
  private @Nullable OutputStream client;
  private @Nullable String reason;
  private @Nullable HttpHeaders sentHeaders;

  BodyCapture(Forward.Mode mode, long cap, PassThrough target, Function<String, HttpHeaders> headers) {
    this.mode = mode;
    this.cap = cap;
    this.target = target;
    this.headers = headers;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (client == null) {
      if (mode == Forward.Mode.PASS_THROUGH) {
        open(UNCACHED);
      } else if (buffer.size() + (long) len > cap) {
        if (mode == Forward.Mode.DETACHED) {
          throw new IOException("the body exceeds " + cap + " bytes: a background refresh cannot store it");
        }
        open(TOO_LARGE);
      } else {
        buffer.write(b, off, len);
        return;
      }
    }
    client.write(b, off, len);
  }

  /**
   * Sends what was buffered to the client now and every later write at once: for responses that
   * stream (server-sent events, a handler that flushes on purpose). Such a response is not
   * stored. In {@link Forward.Mode#DETACHED} it throws, aborting a refresh that cannot complete.
   */
  public void passThrough() throws IOException {
    if (client != null) {
      return;
    }
    if (mode == Forward.Mode.DETACHED) {
      throw new IOException("a streaming response cannot be refreshed in the background");
    }
    open(mode == Forward.Mode.PASS_THROUGH ? UNCACHED : STREAMING);
  }

  private void open(String why) throws IOException {
    HttpHeaders added = headers.apply(why);
    OutputStream out = Objects.requireNonNull(target.open(added), "PassThrough.open returned null");
    this.reason = why;
    this.sentHeaders = added;
    this.client = out;
    Buffer buffered = buffer;
    buffer = null;
    if (buffered != null && buffered.size() > 0) {
      buffered.writeTo(out);
    }
  }

  /** Flushes the client's stream when passing through; a buffered body is not flushed anywhere. */
  @Override
  public void flush() throws IOException {
    if (client == null && mode == Forward.Mode.PASS_THROUGH) {
      open(UNCACHED);
    }
    if (client != null) {
      client.flush();
    }
  }

  /** Closes the client's stream when passing through; otherwise does nothing. */
  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }

  /** Whether the body went to the client (so it is not buffered and nothing is left to write). */
  public boolean passedThrough() {
    return client != null;
  }

  /** The number of bytes buffered (0 once passed through). */
  public int bufferedBytes() {
    return buffer == null ? 0 : buffer.size();
  }

  /** The buffered body; empty once passed through. */
  Body buffered() {
    return buffer == null ? Body.EMPTY : buffer.view();
  }

  @Nullable String passThroughReason() {
    return reason;
  }

  @Nullable HttpHeaders sentHeaders() {
    return sentHeaders;
  }
}
