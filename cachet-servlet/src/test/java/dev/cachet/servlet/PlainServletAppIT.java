package dev.cachet.servlet;

import static dev.cachet.servlet.AppJetty.xCache;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filter in a plain Servlet application on a real Jetty 12: deployed under a context path,
 * with writers and content types as the Servlet specification has them, and asynchronous
 * servlets that write through {@code getWriter()} after their request went asynchronous.
 */
class PlainServletAppIT {
  private final Cachet cachet = Cachet.builder().build();
  private final AtomicInteger runs = new AtomicInteger();
  private AppJetty jetty;

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
    cachet.close();
  }

  private CachetFilter filter() {
    return CachetFilter.builder(HttpCache.builder(cachet).build())
        .routes(RouteTable.builder().get("/c/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build())
        .build();
  }

  @FunctionalInterface
  interface Body {
    void write(HttpServletRequest req, HttpServletResponse res) throws IOException;
  }

  private void start(String contextPath, Body body) throws Exception {
    jetty = new AppJetty(contextPath).servlet("/*", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        runs.incrementAndGet();
        body.write(req, res);
      }

      @Override
      protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        runs.incrementAndGet();
      }
    }).filter(filter(), EnumSet.of(DispatcherType.REQUEST)).start();
  }

  @Test
  void routePatternsMatchThePathWithinTheApplicationWhateverItsContextPath() throws Exception {
    start("/app", (req, res) -> res.getWriter().write("n=" + runs.get()));
    HttpResponse<byte[]> first = jetty.send("GET", "/app/c/x");
    HttpResponse<byte[]> second = jetty.send("GET", "/app/c/x");
    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    // and a write under the context path invalidates it, as the hierarchy says
    jetty.send("POST", "/app/c/x");
    assertThat(xCache(jetty.send("GET", "/app/c/x"))).isEqualTo("MISS");
  }

  @Test
  void aCharsetFollowedByAnotherParameterIsTheWritersEncoding() throws Exception {
    start("", (req, res) -> {
      res.setContentType("text/plain; charset=UTF-8; format=flowed");
      res.getWriter().write("ok é");
    });
    for (String path : new String[] {"/u/param", "/c/param", "/c/param"}) {
      HttpResponse<byte[]> r = jetty.send("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isEqualTo("ok é".getBytes(UTF_8));
    }
  }

  @Test
  void aCharsetSetAfterGetWriterChangesNeitherTheBytesNorTheHeader() throws Exception {
    start("", (req, res) -> {
      res.setContentType("text/plain; charset=UTF-8");
      var writer = res.getWriter();
      res.setContentType("text/plain; charset=ISO-8859-1"); // too late: the writer's bytes are UTF-8
      writer.write("é€");
    });
    for (String path : new String[] {"/u/late", "/c/late", "/c/late"}) {
      HttpResponse<byte[]> r = jetty.send("GET", path);
      assertThat(r.body()).as(path).isEqualTo("é€".getBytes(UTF_8));
      assertThat(r.headers().firstValue("Content-Type").orElseThrow().toLowerCase()).as(path)
          .contains("charset=utf-8");
    }
  }

  /**
   * An asynchronous servlet writes with {@code getWriter()} from another thread and completes
   * without flushing: the container completes the real response, so nothing may stay buffered
   * in the filter's writer (it used to: the client got an empty body, on cached routes and on
   * every write the filter sees for its automatic invalidation).
   *
   * @param wrapped {@code startAsync(req, res)} rather than {@code startAsync()}
   * @param viaContext writes to {@code AsyncContext.getResponse()} rather than the response given
   * @param afterReturn writes once the filter chain returned, else at once, racing it
   * @param large a body larger than the writer's own buffer (8 KiB)
   */
  @ParameterizedTest(name = "wrapped={0} viaContext={1} afterReturn={2} large={3}")
  @CsvSource({
      "true,false,true,false", "true,true,true,false", "false,false,true,false", "false,true,true,false",
      "true,false,false,false", "false,true,false,false", "true,false,true,true", "false,false,false,true"})
  void anAsynchronousWriterReachesTheClientWhole(
      boolean wrapped, boolean viaContext, boolean afterReturn, boolean large) throws Exception {
    String text = large ? "é".repeat(20_000) + "end" : "async body";
    Filter marksReturn = (req, res, chain) -> {
      CountDownLatch chainReturned = new CountDownLatch(1);
      req.setAttribute("chainReturned", chainReturned);
      chain.doFilter(req, res);
      chainReturned.countDown();
    };
    HttpServlet servlet = new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        CountDownLatch chainReturned = (CountDownLatch) req.getAttribute("chainReturned");
        AsyncContext ctx = wrapped ? req.startAsync(req, res) : req.startAsync();
        ctx.start(() -> {
          try {
            if (afterReturn) {
              chainReturned.await(10, TimeUnit.SECONDS);
            }
            ServletResponse target = viaContext ? ctx.getResponse() : res;
            target.setContentType("text/plain;charset=UTF-8");
            target.getWriter().write(text);
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          } finally {
            ctx.complete();
          }
        });
      }
    };
    jetty = new AppJetty("").servlet("/*", servlet)
        .filter(marksReturn, EnumSet.of(DispatcherType.REQUEST))
        .filter(filter(), EnumSet.of(DispatcherType.REQUEST)).start();
    for (String[] request : new String[][] {{"GET", "/c/a"}, {"POST", "/c/a"}, {"POST", "/u/a"}}) {
      HttpResponse<byte[]> r = jetty.send(request[0], request[1]);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new String(r.body(), UTF_8)).as(String.join(" ", request)).isEqualTo(text);
    }
  }

  /** {@code startAsync(req, res)}, then {@code dispatch()}: the body is written in the ASYNC dispatch. */
  @ParameterizedTest(name = "filter on ASYNC dispatches: {0}")
  @CsvSource({"false", "true"})
  void aBodyWrittenInTheAsyncDispatchReachesTheClient(boolean onAsync) throws Exception {
    jetty = new AppJetty("").servlet("/*", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          res.setContentType("text/plain");
          res.getWriter().write("dispatched body");
          return;
        }
        AsyncContext ctx = req.startAsync(req, res);
        ctx.start(ctx::dispatch);
      }
    }).filter(filter(), onAsync ? EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)
        : EnumSet.of(DispatcherType.REQUEST)).start();
    HttpResponse<byte[]> r = jetty.send("GET", "/c/d");
    assertThat(new String(r.body(), UTF_8)).isEqualTo("dispatched body");
  }
}
