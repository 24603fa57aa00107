package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.RoutePolicy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A response that the {@code handlerFailed} predicate marks as a failed handler's is neither
 * stored nor shared, whatever its status; other responses of the route still are. Jetty on a
 * real port.
 */
class FailedHandlerTest {
  private static final String FAILED = "test.failed";

  private Cachet cachet;
  private HttpCache http;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    http = HttpCache.builder(cachet).build();
    RouteTable routes = RouteTable.builder().get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build();
    jetty = new Jetty(CachetFilter.builder(http)
        .routes(routes)
        .handlerFailed(request -> request.getAttribute(FAILED) != null)
        .build());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  @Test
  void aFailedHandlersAnswerWithStatus200IsNotStored() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    jetty.on("GET /items", (req, res) -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        req.setAttribute(FAILED, Boolean.TRUE); // as a framework's exception handling marks it
        res.getWriter().write("error");
      } else {
        res.getWriter().write("items " + n);
      }
    });

    HttpResponse<String> failed = jetty.send("GET", "/items");
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(failed.body()).isEqualTo("error");
    assertThat(failed.headers().firstValue("Cache-Status")).hasValueSatisfying(s -> assertThat(s).contains("detail=refused"));

    HttpResponse<String> next = jetty.send("GET", "/items");
    assertThat(next.body()).isEqualTo("items 2");
    assertThat(xCache(next)).isEqualTo("MISS");
    HttpResponse<String> hit = jetty.send("GET", "/items");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("items 2");
    assertThat(calls).hasValue(2);
  }

  @Test
  void thePredicateIsSetOnce() {
    CachetFilter.Builder b = CachetFilter.builder(http).handlerFailed(request -> false);
    assertThatThrownBy(() -> b.handlerFailed(request -> false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CachetFilter.builder(http).handlerFailed(null)).isInstanceOf(NullPointerException.class);
  }
}
