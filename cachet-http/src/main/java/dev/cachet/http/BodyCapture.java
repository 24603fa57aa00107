package dev.cachet.http;

import dev.cachet.http.internal.Cacheability;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
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
  /** Why a buffered body is not stored: the adapter refused it ({@link #refuseStorage()}). */
  static final String REFUSED = Cacheability.REFUSED;

  /**
   * Chunks that double from 8 KiB (up to 1 MiB each): a body is never copied while it grows,
   * and at most about half of the last chunk is unused. When the body's size is expected, the
   * first chunk is sized for it with room before and after, so that a body that fits can become
   * the stored entry itself ({@link #placeable()}).
   */
  private static final class Buffer {
    private static final int FIRST = 8192;
    private static final int LARGEST = 1 << 20;
    private static final byte[] NONE = new byte[0];
    private byte[][] chunks = new byte[4][];
    private int[] lengths = new int[4]; // bytes written to each chunk
    private int count;
    private final int headroom; // left free before the body in a presized first chunk
    private final int firstSize; // 0: not presized
    private byte[] current = NONE; // the first chunk comes with the first byte
    private int used;
    private long size;

    Buffer(int headroom, int firstSize) {
      this.headroom = headroom;
      this.firstSize = firstSize;
    }

    void write(byte[] b, int off, int len) {
      int from = off;
      int left = len;
      while (left > 0) {
        if (used == current.length) {
          next();
        }
        int n = Math.min(left, current.length - used);
        System.arraycopy(b, from, current, used, n);
        used += n;
        lengths[count - 1] += n;
        from += n;
        left -= n;
      }
      size += len;
    }

    private void next() {
      boolean first = count == 0;
      current = first && firstSize > 0
          ? new byte[firstSize]
          : new byte[Math.max(FIRST, Math.min(current.length * 2, LARGEST))];
      used = first ? headroom : 0;
      if (count == chunks.length) {
        chunks = Arrays.copyOf(chunks, count * 2);
        lengths = Arrays.copyOf(lengths, count * 2);
      }
      chunks[count++] = current;
    }

    long size() {
      return size;
    }

    void writeTo(OutputStream out) throws IOException {
      for (int i = 0; i < count; i++) {
        out.write(chunks[i], i == 0 ? headroom : 0, lengths[i]);
      }
    }

    /**
     * The written bytes, not copied: nothing writes to the chunks once they are handed out (a
     * later write starts a chunk of its own, and shows in the next view only).
     */
    Body view() {
      if (count == 0) {
        return Body.EMPTY;
      }
      used = current.length; // seal: the free rest of this chunk may become part of an entry
      return Body.ofChunks(Arrays.copyOf(chunks, count), headroom, Arrays.copyOf(lengths, count));
    }

    /** Whether the body is one range of a presized chunk, with its room before and after. */
    boolean placeable() {
      return firstSize > 0 && count == 1;
    }

    /** An empty buffer of the same shape: the next body gets fresh arrays, never these bytes. */
    Buffer emptied() {
      return new Buffer(headroom, firstSize);
    }
  }

  /** Expected bodies smaller than this are captured in plain chunks: copying them is cheap. */
  static final int PRESIZE_FROM = 16 * 1024;
  /** Room kept before a presized body for the stored entry's own fields. */
  static final int HEADROOM = 512;
  /** Room kept after a presized body for the stored headers and the entry's checksum. */
  static final int TAILROOM = 1024;

  private final Forward.Mode mode;
  private final long cap;
  private final PassThrough target;
  private final Function<String, HttpHeaders> headers;
  private @Nullable Buffer buffer;
  private @Nullable OutputStream client;
  private @Nullable String reason;
  private @Nullable HttpHeaders sentHeaders;
  private boolean later; // passes through, opening the client at the next write, flush or close
  private volatile boolean wentAsynchronous; // a detached run whose handler answers later: refused

  BodyCapture(Forward.Mode mode, long cap, PassThrough target, Function<String, HttpHeaders> headers) {
    this(mode, cap, target, headers, 0);
  }

  /**
   * @param expectedBytes the body's likely size (0 when unknown): from {@link #PRESIZE_FROM} up,
   *     a body up to 1/32 larger is captured in one array with room to become the stored entry
   */
  BodyCapture(Forward.Mode mode, long cap, PassThrough target, Function<String, HttpHeaders> headers,
      int expectedBytes) {
    this.mode = mode;
    this.cap = cap;
    this.target = target;
    this.headers = headers;
    boolean presize = mode != Forward.Mode.PASS_THROUGH && expectedBytes >= PRESIZE_FROM
        && expectedBytes <= cap && expectedBytes <= Integer.MAX_VALUE / 2;
    this.buffer = presize
        ? new Buffer(HEADROOM, HEADROOM + expectedBytes + expectedBytes / 32 + TAILROOM)
        : new Buffer(0, 0);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (client == null) {
      if (later) {
        open(STREAMING);
      } else if (mode == Forward.Mode.PASS_THROUGH) {
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

  /**
   * As {@link #passThrough()}, but the client is opened only at the next write, flush or close:
   * for an asynchronous request, whose status and headers are final only when its body starts.
   * From now on the body counts as passed through and is not stored. In
   * {@link Forward.Mode#DETACHED} it throws, and the route's stale entries are refreshed by a
   * request of their own from then on.
   */
  public void passThroughLater() throws IOException {
    if (client != null || later) {
      return;
    }
    if (mode == Forward.Mode.DETACHED) {
      wentAsynchronous = true;
      throw new IOException("an asynchronous response cannot be refreshed in the background");
    }
    if (buffer != null && buffer.size() > 0) {
      // Written before the request went asynchronous (or by its task, racing this call): it goes
      // now, since no later write may come to carry it, and the container completes the
      // response without asking this capture. Flushed: a stream's first events must not wait in
      // the container's buffer for the next ones (their flushes went nowhere while buffered).
      open(STREAMING);
      client.flush();
      return;
    }
    later = true;
    reason = STREAMING;
  }

  private void open(String why) throws IOException {
    HttpHeaders added = headers.apply(why);
    OutputStream out = Objects.requireNonNull(target.open(added), "PassThrough.open returned null");
    this.reason = why;
    this.sentHeaders = added;
    this.client = out;
    this.later = false;
    Buffer buffered = buffer;
    buffer = null;
    if (buffered != null && buffered.size() > 0) {
      buffered.writeTo(out);
    }
  }

  /**
   * Forgets every byte buffered so far, as a Servlet response's {@code resetBuffer} does: the body
   * starts again empty (in fresh arrays, so nothing already handed out is written over).
   *
   * @throws IllegalStateException when the body already passed through to the client
   */
  public void discard() {
    if (passedThrough()) {
      throw new IllegalStateException("the body already went to the client");
    }
    if (buffer != null && buffer.size() > 0) {
      buffer = buffer.emptied();
    }
  }

  /**
   * Marks the response as one that must be neither stored nor shared with other requests, for
   * what its headers do not show: a cookie the container set on its own response, a session the
   * handler created (whose id links in the body may carry). The body is still buffered and sent
   * to this client as usual.
   */
  public void refuseStorage() {
    if (reason == null) {
      reason = REFUSED;
    }
  }

  /** Flushes the client's stream when passing through; a buffered body is not flushed anywhere. */
  @Override
  public void flush() throws IOException {
    if (client == null && (later || mode == Forward.Mode.PASS_THROUGH)) {
      open(later ? STREAMING : UNCACHED);
    }
    if (client != null) {
      client.flush();
    }
  }

  /** Closes the client's stream when passing through (opening it first if later); otherwise does nothing. */
  @Override
  public void close() throws IOException {
    if (later) {
      open(STREAMING);
    }
    if (client != null) {
      client.close();
    }
  }

  /** Whether the body went to the client (so it is not buffered and nothing is left to write). */
  public boolean passedThrough() {
    return client != null || later;
  }

  /** The number of bytes buffered (0 once passed through). */
  public int bufferedBytes() {
    return buffer == null || later ? 0 : (int) buffer.size();
  }

  /** The buffered body; empty once passed through. */
  Body buffered() {
    return buffer == null || later ? Body.EMPTY : buffer.view();
  }

  /**
   * Whether the buffered body lies in one array that has room for a stored entry's fields
   * around it and that nothing else holds: the stored response may then hand it over
   * ({@link StoredResponseCodec#placement}). Valid once the body was taken ({@link #buffered()}).
   */
  boolean placeable() {
    return buffer != null && !later && buffer.placeable();
  }

  /** Why the body is not stored: it passed through ({@code too-large}, ...) or was refused. */
  @Nullable String passThroughReason() {
    return reason;
  }

  @Nullable HttpHeaders sentHeaders() {
    return sentHeaders;
  }

  /** Whether a {@link Forward.Mode#DETACHED} run refused its handler's asynchronous answer. */
  boolean wentAsynchronous() {
    return wentAsynchronous;
  }
}
