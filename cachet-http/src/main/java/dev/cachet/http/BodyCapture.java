package dev.cachet.http;

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

  /**
   * Chunks that double from 8 KiB (up to 1 MiB each): a body is never copied while it grows,
   * and at most about half of the last chunk is unused.
   */
  private static final class Buffer {
    private static final int FIRST = 8192;
    private static final int LARGEST = 1 << 20;
    private final java.util.ArrayList<byte[]> chunks = new java.util.ArrayList<>();
    private byte[] current = new byte[0]; // the first chunk comes with the first byte
    private int used;
    private long size;

    void write(byte[] b, int off, int len) {
      int from = off;
      int left = len;
      while (left > 0) {
        if (used == current.length) {
          current = new byte[Math.max(FIRST, Math.min(current.length * 2, LARGEST))];
          chunks.add(current);
          used = 0;
        }
        int n = Math.min(left, current.length - used);
        System.arraycopy(b, from, current, used, n);
        used += n;
        from += n;
        left -= n;
      }
      size += len;
    }

    long size() {
      return size;
    }

    void writeTo(OutputStream out) throws IOException {
      for (int i = 0; i < chunks.size(); i++) {
        byte[] chunk = chunks.get(i);
        out.write(chunk, 0, i == chunks.size() - 1 ? used : chunk.length);
      }
    }

    /** The written bytes, not copied: nothing writes to the chunks once they are handed out. */
    Body view() {
      int n = chunks.size();
      int[] lengths = new int[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = i == n - 1 ? used : chunks.get(i).length;
      }
      return Body.ofChunks(chunks.toArray(new byte[0][]), lengths);
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
    return buffer == null ? 0 : (int) buffer.size();
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
