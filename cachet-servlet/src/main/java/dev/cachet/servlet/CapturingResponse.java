package dev.cachet.servlet;

import dev.cachet.http.BodyCapture;
import dev.cachet.http.Forward;
import dev.cachet.http.HttpHeaders;
import dev.cachet.http.OriginResponse;
import dev.cachet.http.internal.HeaderRules;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.ObjIntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The response a handler writes to while the cache decides: status and headers are held here,
 * the body goes to the {@link Forward}'s {@link BodyCapture}, and nothing reaches the client
 * unless the capture passes the body through (too large, streaming) — or, in detached mode for a
 * background refresh, ever. {@code sendError} is remembered and replayed on the real response, so
 * the container's error handling still runs. Once the body passes through, status and headers
 * are the real response's, as after an asynchronous request started. Used by one thread at a time.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
  private final HttpServletResponse real;
  private final boolean detached;
  private final ObjIntConsumer<HttpHeaders> beforeSend;
  private final BooleanSupplier readLanguage;
  private final CapturedHeaders headers = new CapturedHeaders();
  private final BodyCapture body;
  private int status = SC_OK;
  private @Nullable String errorMessage;
  private boolean error;
  /** Status and headers went to the real response (the body passes through): delegate there. */
  private boolean onReal;
  private boolean async;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;
  private @Nullable BodyWriter bodyWriter; // what writer writes to
  /** The writer's bytes go to the body, except while {@link #resetBuffer} drops them. */
  private final DroppableOutput writerTarget;
  private @Nullable Locale locale;

  /**
   * @param beforeSend told the status, final from then on, just before the response starts to
   *     reach the client (a body passing through): a write invalidates there
   * @param readLanguage whether the handler has read the client's language ({@link
   *     CaptureRequest#readLanguage()}): the response then says {@code Vary: Accept-Language}
   */
  CapturingResponse(HttpServletResponse real, Forward forward, ObjIntConsumer<HttpHeaders> beforeSend,
      BooleanSupplier readLanguage) {
    super(real);
    this.real = real;
    this.beforeSend = beforeSend;
    this.readLanguage = readLanguage;
    this.detached = forward.mode() == Forward.Mode.DETACHED;
    this.body = forward.newBodyCapture(this::openClient);
    this.writerTarget = new DroppableOutput(body);
  }

  /** Commits status and headers to the client and returns its stream (pass-through). */
  private OutputStream openClient(HttpHeaders cacheHeaders) throws IOException {
    varyByLanguageIfRead();
    beforeSend.accept(headers.toHttpHeaders(), getStatus());
    moveToReal();
    CapturedHeaders.addCacheHeaders(cacheHeaders, real);
    return real.getOutputStream();
  }

  private void moveToReal() {
    if (!onReal) {
      onReal = true;
      real.setStatus(status);
      headers.copyTo(real);
    }
  }

  /**
   * For a request that went asynchronous: what the handler set so far goes to the real response
   * now (nothing is sent yet), later statuses and headers go straight there, and the body passes
   * through from its next write, flush or close, when {@code beforeSend} is told the status.
   * In detached mode (a background refresh) it throws: such a refresh cannot complete.
   */
  void passThroughLater() throws IOException {
    if (detached) {
      // A background refresh has no client, and the body would come after the refresh ended.
      throw new IOException("an asynchronous response cannot be refreshed in the background");
    }
    if (writer != null) {
      writer.flush();
    }
    if (bodyWriter != null) {
      bodyWriter.passesThrough();
    }
    async = true;
    moveToReal();
    body.passThroughLater();
  }

  /** What the handler produced, once it returned. */
  OriginResponse finish() throws IOException {
    if (writer != null && !async) {
      writer.flush(); // not when asynchronous: the body has not started, and may not yet
    }
    varyByLanguageIfRead();
    return OriginResponse.of(status, headers.toHttpHeaders(), body);
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
    if (onReal) {
      real.setStatus(sc);
    } else {
      status = sc;
    }
  }

  @Override
  public int getStatus() {
    return onReal ? real.getStatus() : status;
  }

  @Override
  public void sendError(int sc, @Nullable String msg) throws IOException {
    if (onReal) {
      if (!real.isCommitted()) {
        real.sendError(sc, msg == null ? "" : msg);
      }
      return;
    }
    resetBuffer(); // as a container does: the error page replaces what was written
    status = sc;
    error = true;
    errorMessage = msg;
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    sendRedirect(location, SC_FOUND, true);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    if (onReal) {
      real.sendRedirect(location, sc, clearBuffer);
      return;
    }
    if (clearBuffer) {
      resetBuffer();
    }
    status = sc;
    setHeader("Location", location);
  }

  @Override
  public void setHeader(String name, @Nullable String value) {
    if (onReal) {
      real.setHeader(name, value);
    } else {
      headers.set(name, value);
    }
  }

  @Override
  public void addHeader(String name, @Nullable String value) {
    if (onReal) {
      real.addHeader(name, value);
    } else {
      headers.add(name, value);
    }
  }

  /**
   * Captured as a {@code Set-Cookie} header like any other, so that the response counts as
   * setting a cookie (never stored, never shared) and still reaches this client.
   */
  @Override
  public void addCookie(Cookie cookie) {
    if (onReal) {
      real.addCookie(cookie);
      return;
    }
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
    setHeader(name, httpDate(date));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, httpDate(date));
  }

  /** IMF-fixdate, as senders must write dates (not RFC 1123's form, which allows a one-digit day). */
  private static String httpDate(long millis) {
    return HeaderRules.formatDate(Instant.ofEpochMilli(millis));
  }

  @Override
  public boolean containsHeader(String name) {
    return onReal ? real.containsHeader(name) : headers.contains(name);
  }

  @Override
  public @Nullable String getHeader(String name) {
    return onReal ? real.getHeader(name) : headers.first(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return onReal ? real.getHeaders(name) : headers.all(name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    return onReal ? real.getHeaderNames() : headers.names();
  }

  @Override
  public void setContentType(@Nullable String type) {
    if (onReal) {
      real.setContentType(type);
      return;
    }
    headers.contentType(type, writer != null);
  }

  @Override
  public @Nullable String getContentType() {
    return getHeader("Content-Type");
  }

  @Override
  public void setCharacterEncoding(@Nullable String charset) {
    if (onReal) {
      real.setCharacterEncoding(charset);
      return;
    }
    if (charset != null && writer == null) {
      headers.characterEncoding(charset);
    }
  }

  @Override
  public String getCharacterEncoding() {
    return onReal ? real.getCharacterEncoding() : headers.characterEncoding();
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
   * (captured like any header). The locale is the request's as a framework resolved it (Spring
   * sets it on every rendered view, by default from {@code Accept-Language}), so the response
   * also says {@code Vary: Accept-Language}: a route that does not vary by it then learns to
   * (as for any {@code Vary}), and one client's language is never replayed to another. The
   * container's locale-to-charset mapping has no portable API and is not applied: set the charset
   * explicitly where it matters.
   */
  @Override
  public void setLocale(@Nullable Locale loc) {
    if (onReal) {
      real.setLocale(loc);
      return;
    }
    if (loc == null) {
      return;
    }
    locale = loc;
    setHeader("Content-Language", loc.toLanguageTag());
    headers.addVary("Accept-Language");
  }

  /**
   * A handler that read the client's language chose its response by {@code Accept-Language}
   * (Spring's {@code LocaleContextHolder}, a message source): the response says so, and the route
   * learns to key by it, as for any {@code Vary} (RFC 9110 section 12.5.5).
   */
  private void varyByLanguageIfRead() {
    if (!onReal && readLanguage.getAsBoolean()) {
      headers.addVary("Accept-Language");
    }
  }

  @Override
  public Locale getLocale() {
    return onReal || locale == null ? real.getLocale() : locale;
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
      BodyWriter w = new BodyWriter(writerTarget, Charset.forName(getCharacterEncoding()), async);
      bodyWriter = w;
      writer = new PrintWriter(w, false);
    }
    return writer;
  }

  /**
   * Not a request to stream: frameworks flush after every response (Spring does, to commit
   * headers), so the body stays buffered. Streaming handlers belong on uncached routes or on
   * asynchronous requests, which pass through; once passing through, this flushes the client.
   */
  @Override
  public void flushBuffer() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    if (body.passedThrough()) {
      body.flush();
    }
  }

  /** Forgets the body written so far (and what the writer still holds); status and headers stay. */
  @Override
  public void resetBuffer() {
    if (onReal) {
      real.resetBuffer();
      return;
    }
    if (writer != null) {
      // What the writer still holds is dropped, not flushed into the capture: near the cap a
      // flush could start passing the very bytes this call discards to the client.
      writerTarget.dropWhile(writer::flush);
    }
    body.discard();
  }

  /** As {@link #resetBuffer}, and status, headers, error and the choice of writer or stream too. */
  @Override
  public void reset() {
    if (onReal) {
      real.reset();
      return;
    }
    resetBuffer();
    headers.clear();
    status = SC_OK;
    error = false;
    errorMessage = null;
    stream = null;
    writer = null;
    bodyWriter = null;
    locale = null;
  }

  @Override
  public boolean isCommitted() {
    return onReal && real.isCommitted();
  }

  @Override
  public void setBufferSize(int size) {
    // buffering is the capture's business
  }
}
