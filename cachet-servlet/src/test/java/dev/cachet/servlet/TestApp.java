package dev.cachet.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The application under the filter: counts how often each path was computed. */
final class TestApp extends HttpServlet {
  private static final long serialVersionUID = 1L;

  final transient Map<String, AtomicInteger> computed = new ConcurrentHashMap<>();
  volatile transient CountDownLatch slowGate = new CountDownLatch(0);
  final transient Map<String, String> data = new ConcurrentHashMap<>();

  int computed(String path) {
    AtomicInteger n = computed.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    int n = computed.computeIfAbsent(req.getMethod() + " " + path, p -> new AtomicInteger()).incrementAndGet();
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      int status = path.contains("fail") ? 500 : 200;
      res.setStatus(status);
      res.setContentType("application/json");
      res.getWriter().write("{\"written\":\"" + path + "\"}");
      return;
    }
    switch (path) {
      case "/cookie" -> res.addHeader("Set-Cookie", "session=abc; HttpOnly");
      case "/error500" -> res.setStatus(500);
      case "/notfound" -> {
        res.sendError(404, "no such thing");
        return;
      }
      case "/slow" -> {
        try {
          slowGate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case "/big" -> {
        res.setContentType("application/octet-stream");
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 32; i++) { // 2 MiB, over the test's 1 MiB cap
          res.getOutputStream().write(chunk);
        }
        return;
      }
      default -> { }
    }
    res.setContentType("application/json");
    String user = req.getHeader("X-User");
    String body = "{\"path\":\"" + path + "\",\"query\":\"" + req.getQueryString() + "\",\"n\":" + n
        + ",\"user\":\"" + user + "\"}";
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
