package dev.cachet.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * A real Jetty 12 on a real loopback port, with sessions, filters (for the REQUEST dispatch
 * unless told otherwise, async supported) in front of one servlet: handlers chosen by method and path ({@code "GET
 * /x"}), or a test's own application; plus an HTTP client for it.
 */
final class Jetty implements AutoCloseable {
  /** What a test's servlet does for one method and path. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Server server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  /** A server of the handlers given by {@link #on}, whose filters run in the order given, outermost first. */
  Jetty(Filter... filters) throws Exception {
    this((HttpServlet) null, filters);
  }

  /** A server of {@code app} (or, when null, of the handlers given by {@link #on}) behind {@code filters}. */
  Jetty(@Nullable HttpServlet app, Filter... filters) throws Exception {
    this(app, EnumSet.of(DispatcherType.REQUEST), filters);
  }

  /** A server of the handlers given by {@link #on} whose filters run for {@code dispatches}. */
  Jetty(EnumSet<DispatcherType> dispatches, Filter... filters) throws Exception {
    this(null, dispatches, filters);
  }

  /**
   * As {@link #Jetty(EnumSet, Filter...)}, on a pool of {@code maxThreads} threads, of which the
   * connector's one acceptor and one selector take two: the rest serve requests.
   */
  Jetty(int maxThreads, EnumSet<DispatcherType> dispatches, Filter... filters) throws Exception {
    this(new Server(new QueuedThreadPool(maxThreads, maxThreads)), 1, null, dispatches, filters);
  }

  private Jetty(@Nullable HttpServlet app, EnumSet<DispatcherType> dispatches, Filter... filters)
      throws Exception {
    this(new Server(), -1, app, dispatches, filters);
  }

  private Jetty(Server server, int acceptorsAndSelectors, @Nullable HttpServlet app,
      EnumSet<DispatcherType> dispatches, Filter... filters) throws Exception {
    this.server = server;
    ServerConnector connector = new ServerConnector(server, acceptorsAndSelectors, acceptorsAndSelectors);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setSessionHandler(new SessionHandler());
    ServletHolder servlet = new ServletHolder(app != null ? app : new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        Handler h = handlers.get(req.getMethod() + " " + req.getRequestURI());
        try {
          if (h == null) {
            res.sendError(404);
          } else {
            h.handle(req, res);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/*");
    for (Filter filter : filters) {
      FilterHolder holder = new FilterHolder(filter);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", dispatches);
    }
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  Jetty on(String methodAndPath, Handler handler) {
    handlers.put(methodAndPath, handler);
    return this;
  }

  HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    return client.send(request(method, path, headers), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest request(String method, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  HttpClient client() {
    return client;
  }

  int port() {
    return port;
  }

  /** {@code path} on this server. */
  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("X-Cache").orElse("none");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
