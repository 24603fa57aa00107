package dev.cachet.spring.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.Codecs;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard's polling in real headless Chromium, on a clock the test moves: the page's timers
 * and {@code Date.now} are replaced before its scripts run, so that seconds pass when the test says
 * (the requests themselves are real). One poll is in flight at a time, polls back off while the
 * admin API fails with one toast per outage, a reload while it fails keeps the token, and the key
 * browser's ages tick.
 */
class DashboardPollingIT {
  /** Stands between the dashboard and the admin API: holds or fails its polls on demand. */
  static final class Weather extends OncePerRequestFilter {
    final AtomicInteger statsArrived = new AtomicInteger();
    volatile boolean down;
    volatile CountDownLatch hold;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String path = request.getRequestURI();
      boolean poll = path.endsWith("/cachet/stats") || path.endsWith("/cachet/health");
      if (path.endsWith("/cachet/stats")) {
        statsArrived.incrementAndGet();
        CountDownLatch h = hold;
        if (h != null) {
          try {
            h.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      if (poll && down) {
        response.setStatus(503);
        response.setContentType("application/json");
        response.getWriter().write("{\"message\":\"the test says the server is down\"}");
        return;
      }
      chain.doFilter(request, response);
    }
  }

  static final Weather WEATHER = new Weather();

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    FilterRegistrationBean<Weather> weather() {
      FilterRegistrationBean<Weather> weather = new FilterRegistrationBean<>(WEATHER);
      weather.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return weather;
    }
  }

  /** A clock for the page: timers fire and Date.now moves only in {@code __test.advance(ms)}. */
  private static final String FAKE_CLOCK = """
      (() => {
        let now = Date.now();
        const timers = new Map();
        let seq = 1;
        window.setTimeout = (fn, ms, ...a) => { const id = seq++; timers.set(id, {at: now + Math.max(0, ms | 0), fn, a, every: 0}); return id; };
        window.setInterval = (fn, ms, ...a) => { const id = seq++; const every = Math.max(1, ms | 0); timers.set(id, {at: now + every, fn, a, every}); return id; };
        window.clearTimeout = window.clearInterval = (id) => { timers.delete(id); };
        Date.now = () => now;
        const fetches = [];
        const realFetch = window.fetch.bind(window);
        window.fetch = (url, opts) => { fetches.push(String(url)); return realFetch(url, opts); };
        let toasts = 0;
        document.addEventListener('DOMContentLoaded', () => {
          new MutationObserver(() => { if (!document.getElementById('toast').hidden) toasts++; })
            .observe(document.getElementById('toast'), {childList: true});
        });
        window.__test = {
          advance(ms) {
            const end = now + ms;
            for (;;) {
              let next = null;
              for (const [id, t] of timers) if (t.at <= end && (next === null || t.at < next[1].at)) next = [id, t];
              if (next === null) break;
              const [id, t] = next;
              now = Math.max(now, t.at);
              if (t.every) t.at += t.every; else timers.delete(id);
              try { t.fn(...t.a); } catch (e) { console.error(e); }
            }
            now = end;
          },
          fetches: (part) => fetches.filter((u) => u.startsWith(part)).length,
          dueIn: () => [...timers.values()].filter((t) => !t.every).map((t) => t.at - now),
          toasts: () => toasts,
        };
      })();
      """;

  private static AdminHttp http;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws IOException {
    http = AdminHttp.start(App.class, "cachet.admin.enabled=true", "cachet.admin.token=" + AdminHttp.TOKEN);
    chromium = HeadlessChromium.start();
    ((HasCdp) chromium.browser).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", FAKE_CLOCK));
  }

  @AfterAll
  static void stop() throws IOException {
    WEATHER.down = false;
    CountDownLatch h = WEATHER.hold;
    if (h != null) {
      h.countDown();
    }
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (http != null) {
        http.close();
      }
    }
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) chromium.browser).executeScript(script);
  }

  private static void advance(long millis) {
    js("window.__test.advance(" + millis + ")");
  }

  private static long statsFetches() {
    return ((Number) js("return window.__test.fetches('stats')")).longValue();
  }

  /** Waits until the page has set a timer (not an interval) to fire {@code millis} from now. */
  private static void awaitScheduled(long millis) {
    chromium.await(10).until(d -> (Boolean) js("return window.__test.dueIn().includes(" + millis + ")"));
  }

  private static String text(String id) {
    return chromium.browser.findElement(By.id(id)).getText();
  }

  @Test
  void onePollInFlightBackOffWhileFailingOneToastPerOutageAndAReloadKeepsTheToken() {
    Cachet cachet = http.bean(Cachet.class);
    cachet.put("user:1", "{}", Codecs.utf8(), CachePolicy.ofTtl(Duration.ofMinutes(10)));
    chromium.browser.get("http://127.0.0.1:" + http.port + "/cachet/dashboard");
    chromium.await(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    chromium.browser.findElement(By.id("token")).sendKeys(AdminHttp.TOKEN);
    chromium.browser.findElement(By.id("login-button")).click();
    chromium.await(10).until(d -> text("updated").startsWith("updated"));
    chromium.await(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#keys-body tr[data-key='user:1']")));
    awaitScheduled(1_000);

    // A slow admin API: while a poll waits for its answer, no other is sent, however long it takes.
    WEATHER.hold = new CountDownLatch(1);
    int arrived = WEATHER.statsArrived.get();
    long fetched = statsFetches();
    advance(1_000);
    assertThat(statsFetches()).isEqualTo(fetched + 1);
    chromium.await(10).until(d -> WEATHER.statsArrived.get() == arrived + 1);
    for (int i = 0; i < 10; i++) {
      advance(1_000);
    }
    assertThat(statsFetches()).as("polls sent while one was in flight").isEqualTo(fetched + 1);
    WEATHER.hold.countDown();
    WEATHER.hold = null;
    // Answered at last, the poll schedules the next one (none is scheduled while one is in
    // flight). Waiting for the "updated" text to change instead failed once in CI: it need not.
    awaitScheduled(1_000);

    // The admin API fails: polls back off, 2 s, 4 s, ... 30 s, with one toast for the outage.
    WEATHER.down = true;
    long toastsBefore = ((Number) js("return window.__test.toasts()")).longValue();
    long fetchedBefore = statsFetches();
    long[] waits = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
    for (int i = 0; i < waits.length; i++) {
      advance(waits[i] - 1);
      assertThat(statsFetches()).as("no poll before its time, wait %d", i).isEqualTo(fetchedBefore + i);
      advance(1);
      assertThat(statsFetches()).as("the poll after wait %d", i).isEqualTo(fetchedBefore + i + 1);
      long next = Math.min(30, 2L << i);
      awaitScheduled(next * 1_000);
      assertThat(text("updated")).endsWith("next try in " + next + " s");
    }
    assertThat(text("updated")).startsWith("no answer since");
    assertThat(((Number) js("return window.__test.toasts()")).longValue() - toastsBefore)
        .as("toasts for one outage").isEqualTo(1);

    // Reloading while it fails keeps the token: the page polls on and recovers with the server.
    chromium.browser.navigate().refresh();
    chromium.await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    assertThat(js("return sessionStorage.getItem('cachet.admin.token')")).isEqualTo(AdminHttp.TOKEN);
    assertThat(chromium.browser.findElement(By.id("login")).isDisplayed()).isFalse();
    awaitScheduled(2_000);
    assertThat(text("updated")).endsWith("next try in 2 s");
    WEATHER.down = false;
    advance(2_000);
    chromium.await(10).until(d -> text("updated").startsWith("updated"));
    chromium.await(10).until(d -> text("toast").contains("answers again"));
    awaitScheduled(1_000);

    // The key browser's ages tick between loads.
    chromium.await(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#keys-body tr[data-key='user:1']")));
    String ttlBefore = chromium.browser.findElement(By.cssSelector("#keys-body tr[data-key='user:1'] td:nth-child(3)")).getText();
    WEATHER.hold = new CountDownLatch(1); // no poll or reload changes the rows meanwhile
    advance(65_000);
    String stored = chromium.browser.findElement(By.cssSelector("#keys-body tr[data-key='user:1'] td:nth-child(6)")).getText();
    String ttl = chromium.browser.findElement(By.cssSelector("#keys-body tr[data-key='user:1'] td:nth-child(3)")).getText();
    WEATHER.hold.countDown();
    WEATHER.hold = null;
    assertThat(stored).matches("1 m \\d+ s ago");
    assertThat(ttl).isNotEqualTo(ttlBefore).matches("[89] m \\d+ s");
  }
}
