package dev.cachet.servlet;

import static dev.cachet.servlet.Jetty.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.http.HttpCache;
import dev.cachet.http.HttpCacheConfig;
import dev.cachet.http.RoutePolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a handler does to the response the filter hands it behaves as on the container's own
 * response: resets discard, cookies, sessions and locales count. Jetty on a real port.
 */
class ResponseCaptureTest {
  private Cachet cachet;
  private Jetty jetty;

  @BeforeEach
  void start() throws Exception {
    cachet = Cachet.builder().build();
    HttpCache http = HttpCache.builder(cachet)
        .config(HttpCacheConfig.builder().maxBodyBytes(64 * 1024).build())
        .build();
    RouteTable routes = RouteTable.builder().get("/**", RoutePolicy.ofTtl(Duration.ofMinutes(5))).build();
    jetty = new Jetty(CachetFilter.builder(http).routes(routes).build());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cachet.close();
  }

  @Test
  void anAsynchronousBodyWrittenBeforeTheHandlerReturnsReachesTheClient() throws Exception {
    jetty.on("GET /async", (req, res) -> {
      AsyncContext async = req.startAsync(req, res);
      res.setContentType("text/plain");
      res.getWriter().write("async body");
      async.complete();
    });
    jetty.on("PUT /async", (req, res) -> {
      AsyncContext async = req.startAsync(req, res);
      Thread task = new Thread(() -> {
        try {
          res.getOutputStream().write("written".getBytes(StandardCharsets.UTF_8));
          res.getOutputStream().flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        async.complete();
      });
      task.start();
      task.join(); // the task wrote its whole body before the handler returned
    });
    HttpResponse<String> read = jetty.send("GET", "/async");
    assertThat(read.body()).isEqualTo("async body");
    assertThat(xCache(read)).isEqualTo("MISS");
    assertThat(jetty.send("PUT", "/async").body()).isEqualTo("written");
  }

  @Test
  void resetBufferNearTheCapSendsNothingItDiscardsAndAFailedWriteInvalidatesNothing() throws Exception {
    AtomicInteger version = new AtomicInteger();
    jetty.on("GET /near", (req, res) -> res.getWriter().write("v" + version.get()));
    jetty.on("PUT /near", (req, res) -> {
      res.setContentType("text/plain");
      java.io.PrintWriter w = res.getWriter();
      w.write("x".repeat(64 * 1024 + 1)); // the cap is 64 KiB: the writer's encoder holds the tail
      res.resetBuffer(); // what the writer held must go nowhere, not past the cap to the client
      res.setStatus(409);
      w.write("conflict");
    });
    assertThat(jetty.send("GET", "/near").body()).isEqualTo("v0");
    HttpResponse<String> failed = jetty.send("PUT", "/near");
    assertThat(failed.statusCode()).isEqualTo(409);
    assertThat(failed.body()).isEqualTo("conflict");
    HttpResponse<String> after = jetty.send("GET", "/near");
    assertThat(xCache(after)).isEqualTo("HIT"); // the failed write invalidated nothing
  }

  @Test
  void resetBufferDiscardsThePartialBodyAndAddsNoHeader() throws Exception {
    jetty.on("GET /report", (req, res) -> {
      res.setContentType("text/csv");
      res.getOutputStream().write("id,name\n1,alice\n2,".getBytes(StandardCharsets.UTF_8));
      res.resetBuffer(); // what Spring does before an exception handler writes
      res.setStatus(503);
      res.setContentType("application/json");
      res.getOutputStream().write("{\"error\":\"row 2 failed\"}".getBytes(StandardCharsets.UTF_8));
    });
    HttpResponse<String> r = jetty.send("GET", "/report");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"error\":\"row 2 failed\"}");
    assertThat(r.headers().allValues("Cache-Control")).isEmpty();
  }

  @Test
  void resetClearsStatusHeadersAndBodySoOnlyTheNewResponseIsStored() throws Exception {
    jetty.on("GET /page", (req, res) -> {
      res.setStatus(500);
      res.setHeader("X-Partial", "yes");
      res.getWriter().write("half a page");
      res.reset();
      res.setContentType("text/plain");
      res.getOutputStream().write("whole page".getBytes(StandardCharsets.UTF_8));
    });
    HttpResponse<String> first = jetty.send("GET", "/page");
    HttpResponse<String> second = jetty.send("GET", "/page");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("whole page");
    assertThat(first.headers().firstValue("X-Partial")).isEmpty();
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo("whole page");
    assertThat(second.headers().firstValue("X-Partial")).isEmpty();
  }

  @Test
  void aCookieAddedThroughTheServletApiReachesItsClientAndIsNeverReplayed() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    jetty.on("GET /pref", (req, res) -> {
      Cookie pref = new Cookie("pref", "dark-" + handled.incrementAndGet());
      pref.setPath("/");
      pref.setHttpOnly(true);
      res.addCookie(pref);
      res.getWriter().write("preferences");
    });
    HttpResponse<String> first = jetty.send("GET", "/pref");
    HttpResponse<String> second = jetty.send("GET", "/pref");
    assertThat(first.headers().allValues("Set-Cookie")).containsExactly("pref=dark-1; HttpOnly; Path=/");
    assertThat(xCache(second)).isEqualTo("MISS");
    assertThat(second.headers().allValues("Set-Cookie")).containsExactly("pref=dark-2; HttpOnly; Path=/");
    assertThat(handled).hasValue(2);
  }

  @Test
  void aResponseThatCreatesASessionIsNeverReplayedToAnotherClient() throws Exception {
    jetty.on("GET /welcome", (req, res) -> {
      HttpSession session = req.getSession();
      res.getWriter().write("<a href=\"" + res.encodeURL("/next") + "\">next</a> session=" + session.getId());
    });
    HttpResponse<String> first = jetty.send("GET", "/welcome");
    HttpResponse<String> second = jetty.send("GET", "/welcome");
    assertThat(first.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="));
    assertThat(xCache(second)).isEqualTo("MISS");
    assertThat(second.body()).isNotEqualTo(first.body());
    assertThat(second.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="));
  }

  @Test
  void setLocaleSetsContentLanguageAndNeverReplaysOneClientsLanguageToAnother() throws Exception {
    // As Spring's view rendering does: the response's locale is the request's.
    jetty.on("GET /greeting", (req, res) -> {
      res.setLocale(req.getLocale());
      res.getWriter().write(req.getLocale().getLanguage().equals("fr") ? "bonjour" : "hallo");
    });
    HttpResponse<String> french = jetty.send("GET", "/greeting", "Accept-Language", "fr-CA");
    assertThat(french.headers().firstValue("Content-Language")).hasValue("fr-CA");
    assertThat(french.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("accept-language"));
    jetty.send("GET", "/greeting", "Accept-Language", "fr-CA"); // stored, now keyed by the language
    HttpResponse<String> again = jetty.send("GET", "/greeting", "Accept-Language", "fr-CA");
    assertThat(xCache(again)).isEqualTo("HIT");
    assertThat(again.headers().firstValue("Content-Language")).hasValue("fr-CA");

    HttpResponse<String> german = jetty.send("GET", "/greeting", "Accept-Language", "de");
    assertThat(german.body()).isEqualTo("hallo");
    assertThat(german.headers().firstValue("Content-Language")).hasValue("de");
  }

  @Test
  void aHandlerThatReadsTheLanguageVariesByItAndOneThatDoesNotDoesNot() throws Exception {
    jetty.on("GET /header", (req, res) -> res.getWriter().write(String.valueOf(req.getHeader("accept-language"))));
    jetty.on("GET /locales", (req, res) -> res.getWriter().write(java.util.Collections.list(req.getLocales()).toString()));
    jetty.on("GET /none", (req, res) -> res.getWriter().write("same for all"));
    // First: the others teach this test's one route to key by the language.
    HttpResponse<String> none = jetty.send("GET", "/none", "Accept-Language", "fr");
    assertThat(none.headers().allValues("Vary")).isEmpty();
    assertThat(xCache(jetty.send("GET", "/none", "Accept-Language", "de"))).isEqualTo("HIT");
    for (String path : new String[] {"/header", "/locales"}) {
      HttpResponse<String> french = jetty.send("GET", path, "Accept-Language", "fr");
      assertThat(french.headers().allValues("Vary")).as(path).contains("Accept-Language");
      jetty.send("GET", path, "Accept-Language", "fr"); // stored, keyed by the language
      HttpResponse<String> german = jetty.send("GET", path, "Accept-Language", "de");
      assertThat(xCache(german)).as(path).isEqualTo("MISS");
      assertThat(german.body()).as(path).contains("de");
      HttpResponse<String> frenchHit = jetty.send("GET", path, "Accept-Language", "fr");
      assertThat(xCache(frenchHit)).as(path).isEqualTo("HIT");
      assertThat(frenchHit.body()).as(path).contains("fr");
    }
  }

  @Test
  void dateHeadersAreImfFixdatesWithATwoDigitDay() throws Exception {
    jetty.on("GET /dated", (req, res) -> {
      // Day 1 to 9, in the past and far ahead (a past Expires would not be stored).
      res.setDateHeader("Last-Modified", java.time.Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());
      res.addDateHeader("Expires", java.time.Instant.parse("2099-01-05T10:00:00Z").toEpochMilli());
      res.getWriter().write("dated");
    });
    HttpResponse<String> miss = jetty.send("GET", "/dated");
    HttpResponse<String> hit = jetty.send("GET", "/dated");
    assertThat(xCache(hit)).isEqualTo("HIT");
    for (HttpResponse<String> r : java.util.List.of(miss, hit)) {
      assertThat(r.headers().firstValue("Last-Modified")).hasValue("Mon, 02 Nov 2026 10:00:00 GMT");
      assertThat(r.headers().firstValue("Expires")).hasValue("Mon, 05 Jan 2099 10:00:00 GMT");
    }
  }
}
