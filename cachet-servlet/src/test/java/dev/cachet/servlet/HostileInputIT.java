package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests through the filter in a real Jetty: odd paths and queries, forged headers,
 * slow clients, racing writes. Nothing may leak between users or keys, and the server keeps
 * answering.
 */
class HostileInputIT {
  /** Echoes what it was asked, so that any key collision shows as a wrong body. */
  static final class EchoApp extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient AtomicLong version = new AtomicLong();
    final transient AtomicInteger computed = new AtomicInteger();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if (req.getMethod().equals("PUT")) {
        version.incrementAndGet();
        res.setStatus(204);
        return;
      }
      computed.incrementAndGet();
      res.setContentType("text/plain;charset=utf-8");
      String body = "uri=" + req.getRequestURI() + " query=" + req.getQueryString()
          + " user=" + req.getHeader("X-User") + " lang=" + req.getHeader("Accept-Language")
          + " fwd=" + req.getHeader("X-Forwarded-Host") + " server=" + req.getServerName()
          + " version=" + version.get();
      if (req.getRequestURI().equals("/big")) {
        body = body + "x".repeat(3 * 1024 * 1024);
      }
      res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final EchoApp app = new EchoApp();
  private Jetty jetty;
  private Cachet cachet;
  private HttpClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    RouteTable routes = RouteTable.builder()
        .get("/me/**", RoutePolicy.builder().ttl(Duration.ofMinutes(5)).varyByPrincipal(true).varyByHeaders("Accept-Language").build())
        .get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5)))
        .build();
    CachetFilter filter = CachetFilter.builder(HttpCache.builder(cachet).build())
        .routes(routes).identity(r -> r.getHeader("X-User")).build();
    jetty = new Jetty(app, filter);
    client = jetty.client();
    port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  /** Sends a raw HTTP/1.1 request, so that paths are not normalized by the client. */
  private String raw(String target, String... headers) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String status(String response) {
    return response.substring(0, response.indexOf("\r\n"));
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void oddPathsNeverBreakTheServerNorShareEntriesWithOtherPaths() throws Exception {
    List<String> targets = List.of(
        "/items/a%2Fb", "/items/a/b", "/items/%2e%2e/admin", "/items/../admin", "/admin",
        "//items//x", "/items/x", "/items/%00", "/items/%zz", "/items/%C3%A9", "/items/\u00e9",
        "/" + "a/".repeat(2000), "/items?" + "q=1&".repeat(1500), "/items;jsessionid=1", "/items");
    List<String> first = new ArrayList<>();
    for (String t : targets) {
      String r = raw(t);
      assertThat(status(r)).as(t).doesNotContain(" 500 ");
      first.add(r);
    }
    for (int i = 0; i < targets.size(); i++) {
      String again = raw(targets.get(i));
      if (status(first.get(i)).contains(" 200 ")) {
        // Whatever path the app saw, the cached answer is the one the app gave for that request.
        assertThat(body(again)).as(targets.get(i)).isEqualTo(body(first.get(i)));
      }
    }
    assertThat(body(raw("/items/a%2Fb"))).isNotEqualTo(body(raw("/items/a/b")));
    assertThat(status(raw("/items"))).contains(" 200 ");
  }

  @Test
  void duplicateParametersKeepTheirOrderInTheKey() throws Exception {
    String ab = body(raw("/q?a=1&a=2"));
    String ba = body(raw("/q?a=2&a=1"));
    assertThat(ab).contains("a=1&a=2");
    assertThat(ba).contains("a=2&a=1");
    assertThat(body(raw("/q?a=1&a=2"))).isEqualTo(ab);
  }

  @Test
  void headerValuesCannotForgeAnotherUsersKey() throws Exception {
    String bob = body(raw("/me/profile", "X-User: bob", "Accept-Language: en"));
    String forged = body(raw("/me/profile", "X-User: eve", "Accept-Language: en|u:bob"));
    String forged2 = body(raw("/me/profile", "Accept-Language: en|u:bob"));
    assertThat(bob).contains("user=bob");
    assertThat(forged).contains("user=eve").doesNotContain("user=bob");
    assertThat(forged2).doesNotContain("user=bob");
    assertThat(body(raw("/me/profile", "X-User: bob", "Accept-Language: en"))).isEqualTo(bob);
  }

  @Test
  void forgedForwardingHeadersCannotPoisonOthersEntries() throws Exception {
    String poisoned = body(raw("/page", "X-Forwarded-Host: evil.example"));
    assertThat(poisoned).contains("fwd=evil.example");
    String normal = body(raw("/page"));
    assertThat(normal).doesNotContain("evil.example");
  }

  /**
   * An HTTP/1.0 request without {@code Host} but with an absolute target: Jetty takes its host
   * from the target, which links built from the request then carry. A request to the same path
   * without the absolute form must not get that answer.
   */
  @Test
  void anAbsoluteTargetsHostCannotPoisonRequestsWithoutAHostHeader() throws Exception {
    String poisoned = body(http10("GET http://evil.example/abs HTTP/1.0"));
    assertThat(poisoned).contains("server=evil.example");
    String normal = body(http10("GET /abs HTTP/1.0"));
    assertThat(normal).contains("uri=/abs").doesNotContain("evil.example");
    assertThat(body(http10("GET http://evil.example/abs HTTP/1.0"))).as("its own entry").isEqualTo(poisoned);
  }

  private String http10(String requestLine) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write((requestLine + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aSlowClientDoesNotStallOthers() throws Exception {
    raw("/fast");
    try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
      // Asks for 3 MiB and reads nothing: its response waits in buffers, not in our threads.
      OutputStream out = slow.getOutputStream();
      out.write("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fast"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      InputStream in = slow.getInputStream();
      slow.setSoTimeout(10_000);
      assertThat(in.readNBytes(12)).isEqualTo("HTTP/1.1 200".getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void readsRacingWritesNeverServeAVersionOlderThanTheLastAcknowledgedWrite() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    AtomicLong acknowledged = new AtomicLong();
    AtomicInteger violations = new AtomicInteger();
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(pool.submit(() -> {
        for (int i = 0; i < 100; i++) {
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/doc"))
              .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
          assertThat(r.statusCode()).isEqualTo(204);
          acknowledged.set(app.version.get());
        }
        return null;
      }));
      for (int t = 0; t < 4; t++) {
        work.add(pool.submit(() -> {
          for (int i = 0; i < 150; i++) {
            long floor = acknowledged.get();
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/doc")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            long seen = Long.parseLong(body.substring(body.indexOf("version=") + 8).trim());
            if (seen < floor) {
              violations.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(violations).hasValue(0);
  }
}
