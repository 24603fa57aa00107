package dev.cachet.servlet;

import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheResult;
import dev.cachet.http.Origin;
import dev.cachet.http.OriginResponse;
import dev.cachet.http.XCache;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Caches responses of the routes its {@link RouteResolver} names, by the rules of
 * {@link HttpCache}: reads are served from the cache or run the rest of the chain once for
 * concurrent misses; successful writes invalidate what they changed once their status is final
 * and before the client sees it (when the handler returned; for a body over the cap, as it starts
 * to pass through; for an asynchronous write, as its body starts or when it completes).
 * Requests without a route pass untouched. A response that {@link Builder#handlerFailed} says a
 * failed handler's exception handling wrote is neither stored nor shared, whatever its status.
 *
 * <p>Install it early in the chain (before anything that writes the body), for the
 * {@code REQUEST} dispatch only. Thread-safe; one instance serves every request.
 *
 * <pre>{@code
 * HttpCache http = HttpCache.builder(Cachet.builder().build()).build();
 * context.addFilter(new FilterHolder(CachetFilter.builder(http).routes(routes).build()), "/*", ...);
 * }</pre>
 */
public final class CachetFilter implements Filter {
  private final HttpCache cache;
  private final RouteResolver routes;
  private final Function<HttpServletRequest, @Nullable String> identity;
  private final RequestListener listener;
  private final WriteListener writeListener;
  private final Predicate<HttpServletRequest> handlerFailed;

  private CachetFilter(Builder b) {
    this.cache = b.cache;
    this.routes = Objects.requireNonNull(b.routes, "routes are required");
    this.identity = b.identity;
    this.listener = b.listener;
    this.writeListener = b.writeListener;
    this.handlerFailed = b.handlerFailed;
  }

  /** A builder over {@code cache}; {@link Builder#routes} is required. */
  public static Builder builder(HttpCache cache) {
    return new Builder(Objects.requireNonNull(cache, "cache"));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Route route = routes.resolve(request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    long start = System.nanoTime();
    ServletRequestView view = new ServletRequestView(request, identity, route.pathVariables());
    // The handler of this request used sendError: replayed on the real response, so the
    // container still renders its error page.
    CapturingResponse[] errored = new CapturingResponse[1];
    boolean read = route.read() != null && isRead(request.getMethod());
    AtomicBoolean told = new AtomicBoolean(); // the write listener, once
    boolean[] asyncWrite = new boolean[1];
    Origin origin = forward -> {
      // A write whose body passes through (over the cap) has its final status then: it
      // invalidates before the first byte leaves, not after the client has its answer.
      IntConsumer beforeSend = read ? status -> {} : status -> {
        forward.complete(status);
        if (told.compareAndSet(false, true)) {
          writeListener.afterWrite(request, status);
        }
      };
      CapturingResponse capturing = new CapturingResponse(response, forward, beforeSend);
      List<String> cookiesBefore = List.copyOf(response.getHeaders("Set-Cookie"));
      chain.doFilter(request, capturing);
      if (setsSession(request, response, cookiesBefore)) {
        capturing.refuseStorage(); // its cookie and session id are this client's alone
      } else if (handlerFailed.test(request)) {
        // An error answer, even one an exception handler gave status 200: not for later callers.
        capturing.refuseStorage();
      }
      if (request.isAsyncStarted()) {
        // The body is written later, by another thread, straight through; a write's status is
        // final only then, so it invalidates then (or when the request completes), not now.
        if (!read) {
          forward.completeLater();
          asyncWrite[0] = true;
          request.getAsyncContext().addListener(new Completion(response, beforeSend));
        }
        capturing.passThroughLater();
      }
      OriginResponse produced = capturing.finish();
      if (capturing.sentError() && !produced.passedThrough()) {
        errored[0] = capturing;
      }
      return produced;
    };
    HttpCacheResult result;
    try {
      if (read) {
        result = cache.handleRead(view, route.read(), origin);
      } else {
        result = cache.handleWrite(view, route.write(), origin);
        if (!asyncWrite[0] && told.compareAndSet(false, true)) {
          writeListener.afterWrite(request, result.status());
        }
      }
    } catch (IOException | ServletException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e);
    }
    write(result, response, errored[0]);
    listener.onRequest(route.name(), result.xCache(), System.nanoTime() - start);
    if (result.needsRevalidation()) {
      result.revalidate(origin);
    }
  }

  /**
   * Whether the handler gave this client a session: the container added a cookie to its own
   * response (Tomcat's session cookie goes there, past the capture), or a session was created,
   * whose id {@code encodeURL} may have written into the body.
   */
  private static boolean setsSession(
      HttpServletRequest request, HttpServletResponse response, List<String> cookiesBefore) {
    if (!List.copyOf(response.getHeaders("Set-Cookie")).equals(cookiesBefore)) {
      return true;
    }
    try {
      HttpSession session = request.getSession(false);
      return session != null && session.isNew();
    } catch (IllegalStateException invalidated) {
      return true; // the handler invalidated the session: not a response to share either
    }
  }

  private static boolean isRead(String method) {
    return method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD");
  }

  private static void write(HttpCacheResult result, HttpServletResponse response, @Nullable CapturingResponse errored)
      throws IOException {
    if (result.committed()) {
      return;
    }
    result.headers().forEach((name, values) -> {
      if (name.equalsIgnoreCase("Set-Cookie")) {
        values.forEach(v -> response.addHeader(name, v)); // next to the container's own cookies
        return;
      }
      if (name.equalsIgnoreCase("Vary")) {
        addVary(values, response); // next to what outer filters (CORS) vary by
        return;
      }
      response.setHeader(name, values.get(0));
      for (int i = 1; i < values.size(); i++) {
        response.addHeader(name, values.get(i));
      }
    });
    if (errored != null && result.status() == errored.getStatus() && result.bodyLength() == 0) {
      String message = errored.errorMessage();
      if (message == null) {
        response.sendError(result.status());
      } else {
        response.sendError(result.status(), message);
      }
      return;
    }
    response.setStatus(result.status());
    if (result.bodyLength() > 0) {
      response.setContentLength(result.bodyLength());
      result.writeBodyTo(response.getOutputStream());
    }
    if (result.needsRevalidation()) {
      response.flushBuffer(); // the client has its answer before this thread runs the handler
    }
  }

  /** Adds the names of {@code varyLines} that {@code response}'s {@code Vary} does not list yet. */
  private static void addVary(List<String> varyLines, HttpServletResponse response) {
    Set<String> listed = new HashSet<>();
    for (String line : response.getHeaders("Vary")) {
      for (String token : line.split(",")) {
        listed.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (listed.contains("*")) {
      return;
    }
    StringJoiner missing = new StringJoiner(", ");
    for (String line : varyLines) {
      for (String token : line.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && listed.add(name.toLowerCase(Locale.ROOT))) {
          missing.add(name);
        }
      }
    }
    if (missing.length() > 0) {
      response.addHeader("Vary", missing.toString());
    }
  }

  /**
   * Tells an asynchronous write's final status when its request completes, in case its body
   * never started (no body, or written past the capture): nothing happens if it did.
   */
  private record Completion(HttpServletResponse response, IntConsumer beforeSend) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      beforeSend.accept(response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this); // a handler that starts async again
    }
  }

  /** Builds a {@link CachetFilter}. Each setter once. Not thread-safe. */
  public static final class Builder {
    private final HttpCache cache;
    private @Nullable RouteResolver routes;
    private Function<HttpServletRequest, @Nullable String> identity = CachetFilter::principalName;
    private RequestListener listener = (route, result, nanos) -> {};
    private WriteListener writeListener = (request, status) -> {};
    private Predicate<HttpServletRequest> handlerFailed = request -> false;
    private boolean identitySet;
    private boolean listenerSet;
    private boolean writeListenerSet;
    private boolean handlerFailedSet;

    private Builder(HttpCache cache) {
      this.cache = cache;
    }

    /** Which requests are cached and how; required. */
    public Builder routes(RouteResolver routes) {
      if (this.routes != null) {
        throw new IllegalStateException("routes were already set");
      }
      this.routes = Objects.requireNonNull(routes, "routes");
      return this;
    }

    /**
     * The caller's stable identity for routes that vary by principal; default the name of
     * {@link HttpServletRequest#getUserPrincipal()}. Return {@code null} for anonymous callers.
     */
    public Builder identity(Function<HttpServletRequest, @Nullable String> identity) {
      if (identitySet) {
        throw new IllegalStateException("identity was already set");
      }
      identitySet = true;
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Told the outcome of every routed request (for metrics). */
    public Builder listener(RequestListener listener) {
      if (listenerSet) {
        throw new IllegalStateException("listener was already set");
      }
      listenerSet = true;
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Told after each write's handler returned, before its response is sent. */
    public Builder writeListener(WriteListener writeListener) {
      if (writeListenerSet) {
        throw new IllegalStateException("writeListener was already set");
      }
      writeListenerSet = true;
      this.writeListener = Objects.requireNonNull(writeListener, "writeListener");
      return this;
    }

    /**
     * Tells, after the chain ran, whether the handler failed although its response may look
     * successful, because a framework's exception handling wrote it (an error body with status
     * 200, say). Such a response is neither stored nor shared. Default: never.
     */
    public Builder handlerFailed(Predicate<HttpServletRequest> handlerFailed) {
      if (handlerFailedSet) {
        throw new IllegalStateException("handlerFailed was already set");
      }
      handlerFailedSet = true;
      this.handlerFailed = Objects.requireNonNull(handlerFailed, "handlerFailed");
      return this;
    }

    public CachetFilter build() {
      return new CachetFilter(this);
    }
  }

  private static @Nullable String principalName(HttpServletRequest request) {
    Principal p = request.getUserPrincipal();
    return p == null ? null : p.getName();
  }
}
