package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Insecure mode (no credentials) in real headless Chromium: a page of another origin that POSTs
 * to the admin API (a no-cors fetch, as any site the operator visits could) clears nothing, while
 * the dashboard of the admin API's own origin still purges and clears.
 */
class InsecureModeIT {
  private static final CachePolicy USERS = CachePolicy.builder().ttl(Duration.ofMinutes(10)).tags("users").build();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  private static AdminHttp http;
  private static HttpServer foreign;
  private static HeadlessChromium chromium;
  private static final AtomicInteger PAGES_SERVED = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    http = AdminHttp.start(App.class, "cachet.admin.enabled=true", "cachet.admin.insecure=true");
    // Another origin: another port of this machine, serving a page that tries to clear the cache.
    foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String api = "http://127.0.0.1:" + http.port + "/cachet";
    String page = "<!doctype html><title>loading</title><script>"
        + "Promise.allSettled(["
        + "fetch('" + api + "/clear', {method: 'POST', mode: 'no-cors'}),"
        + "fetch('" + api + "/invalidate?tag=users', {method: 'POST', mode: 'no-cors'}),"
        + "fetch('" + api + "/invalidate', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},"
        + " body: '{\"tags\":[\"users\"]}'})"
        + "]).then(() => { document.title = 'sent'; });"
        + "</script>";
    foreign.createContext("/", exchange -> {
      PAGES_SERVED.incrementAndGet();
      byte[] body = page.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    foreign.start();
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (foreign != null) {
        foreign.stop(0);
      }
      if (http != null) {
        http.close();
      }
    }
  }

  @Test
  void aPageOfAnotherOriginClearsNothingAndTheDashboardStillWrites() {
    Cachet cachet = http.bean(Cachet.class);
    cachet.put("user:1", "{}", Codecs.utf8(), USERS);
    cachet.put("item:1", "{}", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(10)));
    long invalidationsBefore = cachet.stats().invalidations();
    WebDriver browser = chromium.browser;

    browser.get("http://127.0.0.1:" + foreign.getAddress().getPort() + "/");
    chromium.await(15).until(ExpectedConditions.titleIs("sent"));
    assertThat(PAGES_SERVED.get()).as("the page, and its favicon maybe").isPositive();
    assertThat(cachet.exists("user:1")).isTrue();
    assertThat(cachet.exists("item:1")).isTrue();
    assertThat(cachet.stats().invalidations()).as("no invalidation reached the cache").isEqualTo(invalidationsBefore);

    // The dashboard at the admin API's own origin purges a tag (JSON) and clears (no body).
    browser.get("http://127.0.0.1:" + http.port + "/cachet/dashboard");
    chromium.await(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    browser.findElement(By.id("purge-tags")).sendKeys("users");
    browser.findElement(By.id("purge-button")).click();
    chromium.await(10).until(d -> !cachet.exists("user:1"));
    assertThat(cachet.exists("item:1")).isTrue();
    browser.findElement(By.id("clear-all")).click();
    chromium.await(5).until(ExpectedConditions.alertIsPresent()).accept();
    chromium.await(10).until(d -> !cachet.exists("item:1"));
  }
}
