package dev.cachet.servlet;

import dev.cachet.http.Forward;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A cached read's request as its handler sees it while the cache captures the response.
 *
 * <p>Where the response may be stored ({@link Forward#asksFullResponse()}), without the client's
 * validators, preconditions and range ({@link Forward#CLIENT_CONDITIONALS}). The response is
 * stored for, and shared with, every request of the key, so it must be the full one: a handler
 * (Spring MVC's {@code ResponseEntity} with an {@code ETag}, a {@code Resource} body) would
 * otherwise answer this client's {@code 304} or {@code 206}, which cannot be stored, and concurrent
 * misses waiting for it would each run their own handler. The cache evaluates the client's
 * conditional against the full response afterwards.
 *
 * <p>It also tells whether the handler read the client's language ({@link #readLanguage()}):
 * {@code getLocale()}, {@code getLocales()}, or the {@code Accept-Language} header, which Spring's
 * default {@code AcceptHeaderLocaleResolver} reads when a handler asks
 * {@code LocaleContextHolder.getLocale()}. Its response then depends on that header, which
 * {@link CapturingResponse} makes it say in {@code Vary}. A handler that reads every header by
 * name counts as reading it too. Only reads while the chain after Cachet's filter runs count
 * (the handler's dispatches: {@link #watch}), not those of the filters before it nor of other
 * threads between dispatches. Not thread-safe, as the request is not; the flags are seen by the
 * thread that finishes the capture, whichever ran the handler.
 */
final class CaptureRequest extends HttpServletRequestWrapper {
  private static final Set<String> CONDITIONALS = conditionals();
  private static final String LANGUAGE = "Accept-Language";

  private final boolean hides;
  private volatile boolean readLanguage;
  /**
   * Whether a read counts: only while the chain after Cachet's filter runs ({@link #watch}). The
   * request goes through the whole chain again in an {@code ASYNC} dispatch, and filters before
   * Cachet's read the locale there eagerly (Spring's {@code RequestContextFilter}), for every
   * response alike.
   */
  private volatile boolean watching;

  /** {@code request} as the handler of a run for {@code forward} sees it. */
  CaptureRequest(HttpServletRequest request, Forward forward) {
    super(request);
    this.hides = forward.asksFullResponse();
  }

  /** Whether the handler has read the client's language so far. */
  boolean readLanguage() {
    return readLanguage;
  }

  /** Starts ({@code true}) or ends counting reads of the language: the handler's chain runs. */
  void watch(boolean on) {
    watching = on;
  }

  private void noteLanguage() {
    if (watching) {
      readLanguage = true;
    }
  }

  /** Whether the header {@code name} is hidden; notes a read of the language. */
  private boolean hidden(@Nullable String name) {
    if (name == null) {
      return false;
    }
    if (LANGUAGE.equalsIgnoreCase(name)) {
      noteLanguage();
    }
    return hides && CONDITIONALS.contains(name);
  }

  @Override
  public Locale getLocale() {
    noteLanguage();
    return super.getLocale();
  }

  @Override
  public Enumeration<Locale> getLocales() {
    noteLanguage();
    return super.getLocales();
  }

  private static Set<String> conditionals() {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(Forward.CLIENT_CONDITIONALS);
    return Collections.unmodifiableSet(names);
  }

  @Override
  public @Nullable String getHeader(String name) {
    return hidden(name) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    if (!hides) {
      return super.getHeaderNames();
    }
    List<String> names = new ArrayList<>();
    for (Enumeration<String> all = super.getHeaderNames(); all != null && all.hasMoreElements(); ) {
      String name = all.nextElement();
      if (!CONDITIONALS.contains(name)) {
        names.add(name);
      }
    }
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    return hidden(name) ? -1 : super.getDateHeader(name);
  }

  @Override
  public int getIntHeader(String name) {
    return hidden(name) ? -1 : super.getIntHeader(name);
  }
}
