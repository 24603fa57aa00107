package dev.cachet.servlet;

import dev.cachet.http.BodyCapture;
import dev.cachet.http.Forward;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.OriginResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The response a handler writes to while the cache decides: status and headers are held here,
 * the body goes to the {@link Forward}'s {@link BodyCapture}, and nothing reaches the client
 * unless the capture passes the body through (too large, streaming) — or, in detached mode for a
 * background refresh, ever. {@code sendError} is remembered and replayed on the real response, so
 * the container's error handling still runs. Used by one thread.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
  private final HttpServletResponse real;
  private final boolean detached;
  private final IntConsumer beforeSend;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final BodyCapture body;
  private int status = SC_OK;
  private @Nullable String errorMessage;
  private boolean error;
  private boolean committed;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;
  private String characterEncoding = StandardCharsets.ISO_8859_1.name();
  private boolean encodingSet;
  private @Nullable Locale locale;

  /**
   * @param beforeSend told the status, final from then on, just before the response starts to
   *     reach the client (a body passing through): a write invalidates there
   */
  CapturingResponse(HttpServletResponse real, Forward forward, IntConsumer beforeSend) {
    super(real);
    this.real = real;
    this.beforeSend = beforeSend;
    this.detached = forward.mode() == Forward.Mode.DETACHED;
    this.body = forward.newBodyCapture(this::openClient);
  }

  /** Commits status and headers to the client and returns its stream (pass-through). */
  private OutputStream openClient(HttpHeaders cacheHeaders) throws IOException {
    beforeSend.accept(status);
    committed = true;
    real.setStatus(status);
    headers.forEach((name, values) -> values.forEach(v -> real.addHeader(name, v)));
    for (String name : cacheHeaders.names()) {
      for (String value : cacheHeaders.all(name)) {
        real.addHeader(name, value);
      }
    }
    return real.getOutputStream();
  }

  /** What the handler produced, once it returned. */
  OriginResponse finish() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    if (stream != null) {
      stream.flush();
    }
    HttpHeaders.Builder h = HttpHeaders.builder();
    headers.forEach((name, values) -> values.forEach(v -> h.add(name, v)));
    return OriginResponse.of(status, h.build(), body);
  }

  boolean sentError() {
    return error;
  }

  @Nullable String errorMessage() {
    return errorMessage;
  }

  // --- status and headers ---

  @Override
  public void setStatus(int sc) {
    if (!committed) {
      status = sc;
    }
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc, @Nullable String msg) {
    if (!committed) {
      resetBuffer(); // as a container does: the error page replaces what was written
    }
    status = sc;
    error = true;
    errorMessage = msg;
  }

  @Override
  public void sendError(int sc) {
    sendError(sc, null);
  }

  @Override
  public void sendRedirect(String location) {
    sendRedirect(location, SC_FOUND, true);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) {
    if (clearBuffer && !committed) {
      resetBuffer();
    }
    status = sc;
    setHeader("Location", location);
  }

  @Override
  public void setHeader(String name, @Nullable String value) {
    if (committed) {
      return;
    }
    if (value == null) {
      headers.remove(name);
    } else {
      List<String> list = new ArrayList<>(1);
      list.add(value);
      headers.put(name, list);
    }
  }

  @Override
  public void addHeader(String name, @Nullable String value) {
    if (!committed && value != null) {
      headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
  }

  /**
   * Captured as a {@code Set-Cookie} header like any other, so that the response counts as
   * setting a cookie (never stored, never shared) and still reaches this client.
   */
  @Override
  public void addCookie(Cookie cookie) {
    addHeader("Set-Cookie", SetCookies.format(cookie));
  }

  /**
   * Refuses storing and sharing this response for what its captured headers do not show (a
   * cookie set on the container's response, a session created by the handler).
   */
  void refuseStorage() {
    body.refuseStorage();
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void setDateHeader(String name, long date) {
    setHeader(name, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.Instant.ofEpochMilli(date).atZone(java.time.ZoneOffset.UTC)));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.Instant.ofEpochMilli(date).atZone(java.time.ZoneOffset.UTC)));
  }

  @Override
  public boolean containsHeader(String name) {
    return headers.containsKey(name);
  }

  @Override
  public @Nullable String getHeader(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return List.copyOf(headers.getOrDefault(name, List.of()));
  }

  @Override
  public Collection<String> getHeaderNames() {
    return List.copyOf(headers.keySet());
  }

  @Override
  public void setContentType(@Nullable String type) {
    if (type == null) {
      headers.remove("Content-Type");
      return;
    }
    int charset = type.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (charset >= 0) {
      characterEncoding = type.substring(charset + 8).trim().replace("\"", "");
      encodingSet = true;
    } else if (encodingSet) {
      type = type + ";charset=" + characterEncoding;
    }
    setHeader("Content-Type", type);
  }

  @Override
  public @Nullable String getContentType() {
    return getHeader("Content-Type");
  }

  @Override
  public void setCharacterEncoding(@Nullable String charset) {
    if (charset == null || writer != null) {
      return;
    }
    characterEncoding = charset;
    encodingSet = true;
    String type = getHeader("Content-Type");
    if (type != null) {
      int at = type.toLowerCase(Locale.ROOT).indexOf(";");
      setHeader("Content-Type", (at < 0 ? type : type.substring(0, at)) + ";charset=" + charset);
    }
  }

  @Override
  public String getCharacterEncoding() {
    return characterEncoding;
  }

  @Override
  public void setContentLength(int len) {
    setHeader("Content-Length", Integer.toString(len));
  }

  @Override
  public void setContentLengthLong(long len) {
    setHeader("Content-Length", Long.toString(len));
  }

  /**
   * As the Servlet specification says for an uncommitted response: sets {@code Content-Language}
   * (captured like any header). The container's locale-to-charset mapping has no portable API and
   * is not applied: set the charset explicitly where it matters.
   */
  @Override
  public void setLocale(@Nullable Locale loc) {
    if (loc == null || committed) {
      return;
    }
    locale = loc;
    setHeader("Content-Language", loc.toLanguageTag());
  }

  @Override
  public Locale getLocale() {
    return locale != null ? locale : super.getLocale();
  }

  // --- body ---

  @Override
  public ServletOutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was already called");
    }
    if (stream == null) {
      stream = new CaptureStream(body);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() was already called");
    }
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(body, Charset.forName(characterEncoding)), false);
    }
    return writer;
  }

  /**
   * Not a request to stream: frameworks flush after every response (Spring does, to commit
   * headers), so the body stays buffered. Streaming handlers belong on uncached routes or on
   * asynchronous requests, which pass through.
   */
  @Override
  public void flushBuffer() {
    if (writer != null) {
      writer.flush();
    }
  }

  /** Sends what was written so far, and everything after, to the client (async requests). */
  void passThrough() throws IOException {
    if (!detached) {
      if (writer != null) {
        writer.flush();
      }
      body.passThrough();
    }
  }

  /** Forgets the body written so far (and what the writer still holds); status and headers stay. */
  @Override
  public void resetBuffer() {
    if (committed) {
      throw new IllegalStateException("response already committed");
    }
    if (writer != null) {
      writer.flush(); // into the capture, which then forgets it
    }
    body.discard();
  }

  /** As {@link #resetBuffer}, and status, headers, error and the choice of writer or stream too. */
  @Override
  public void reset() {
    resetBuffer();
    headers.clear();
    status = SC_OK;
    error = false;
    errorMessage = null;
    stream = null;
    writer = null;
    characterEncoding = StandardCharsets.ISO_8859_1.name();
    encodingSet = false;
    locale = null;
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void setBufferSize(int size) {
    // buffering is the capture's business
  }

  private static final class CaptureStream extends ServletOutputStream {
    private final BodyCapture body;

    CaptureStream(BodyCapture body) {
      this.body = body;
    }

    @Override
    public void write(int b) throws IOException {
      body.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      body.write(b, off, len);
    }

    @Override
    public void flush() {
      // A stream flush (as message converters do) is not a request to stream: keep buffering.
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("non-blocking writes are not supported on cached routes");
    }
  }
}
